/**
 * Schemas of every inbound message, one per `type`. They check shape and field types only; the
 * rules that depend on state (inactive system, duplicate callsign, callsign syntax for
 * registration) belong to the core, so that the order of checks the protocol prescribes holds.
 */
import { z } from 'zod';
import { bridgeSettingsRequestSchema } from './bridges.js';
import { listenSettingsSchema } from './listen.js';
import { relaySettingsRequestSchema } from './relay.js';
import { registrationRulesSchema } from './replies.js';

/** Frequencies arrive as "14.205" or 14.205 (MHz); both are kept as the decimal string. */
const frequencyMhz = z
  .union([z.string().trim().max(16), z.number()])
  .transform((value) => String(value))
  .refine((value) => /^\d{1,6}(\.\d{1,7})?$/.test(value) && Number(value) > 0, {
    message: 'must be a positive frequency in MHz, e.g. "14.205"',
  });

const mode = z.string().trim().min(1).max(16).transform((value) => value.toUpperCase());
const report = z.union([z.string().trim().max(8), z.number().int().nonnegative()]).transform(String);
const isoTimestamp = z
  .string()
  .refine((value) => !Number.isNaN(Date.parse(value)), { message: 'must be an ISO-8601 timestamp' })
  .transform((value) => new Date(value).toISOString());
const source = z.string().trim().min(1).max(32);
/** Callsign fields are strings here; their syntax is the core's rule (INVALID_CALLSIGN). */
const callsignField = z.string();

const empty = z.object({});
/** An ADIF import over IPC or HTTP; a WebSocket frame stops at 64 KiB anyway. */
export const MAX_ADIF_IMPORT_CHARS = 64 * 1024 * 1024;

export const requestSchemas = {
  auth_request: z.object({ username: z.string(), password: z.string() }),
  auth_logout: empty,
  register_callsign: z.object({ callsign: callsignField }),
  get_queue_status: empty,
  get_current_qso: empty,
  ping: empty,

  admin_send_qso: z.object({
    callsign: callsignField,
    frequency: frequencyMhz.optional(),
    mode: mode.optional(),
    rst_sent: report.optional(),
    rst_received: report.optional(),
    timestamp: isoTimestamp.optional(),
  }),
  admin_work_next: empty,
  admin_complete_qso: empty,
  admin_toggle_system: z.object({ active: z.boolean().optional() }),
  admin_clear_queue: empty,
  admin_ping: empty,

  admin_start_qso: z.object({
    callsign: callsignField,
    frequency_mhz: frequencyMhz.optional(),
    frequency: frequencyMhz.optional(),
    mode: mode.optional(),
    source: source.optional(),
  }),
  admin_work_specific: z.object({ callsign: callsignField }),
  admin_cancel_qso: empty,
  admin_remove_callsign: z.object({ callsign: callsignField }),
  admin_get_status: empty,
  admin_get_queue: empty,
  admin_set_frequency: z
    .object({ frequency: frequencyMhz.optional(), frequency_mhz: frequencyMhz.optional(), mode: mode.optional() })
    .refine((value) => value.frequency !== undefined || value.frequency_mhz !== undefined, {
      message: 'frequency or frequency_mhz is required',
      path: ['frequency'],
    }),
  admin_clear_frequency: empty,
  admin_set_split: z.object({ split: z.union([z.string().trim().min(1).max(32), z.number()]).transform(String) }),
  admin_clear_split: empty,

  admin_set_max_queue_size: z.object({ max_queue_size: z.number().int().min(1).max(1000) }),
  admin_get_log: z.object({
    offset: z.number().int().min(0).optional(),
    limit: z.number().int().min(1).max(500).optional(),
  }),
  admin_set_credentials: z.object({
    username: z.string().trim().min(1).max(64),
    password: z.string().min(8).max(256),
  }),
  admin_export_adif: empty,
  admin_import_adif: z.object({ adif: z.string().min(1).max(MAX_ADIF_IMPORT_CHARS) }),
  admin_get_bridges: empty,
  admin_set_bridges: bridgeSettingsRequestSchema,
  admin_get_listen: empty,
  admin_set_listen: listenSettingsSchema,
  admin_get_relay: empty,
  admin_set_relay: relaySettingsRequestSchema,

  admin_pause_registration: empty,
  admin_resume_registration: empty,
  admin_ban_callsign: z.object({ callsign: callsignField, reason: z.string().trim().max(200).optional() }),
  admin_unban_callsign: z.object({ callsign: callsignField }),
  admin_get_controls: empty,
  admin_set_registration_rules: registrationRulesSchema
    .partial()
    .refine((rules) => Object.values(rules).some((value) => value !== undefined), {
      message: 'give at least one of rate_limit_count, rate_limit_window_s, rate_limit_exempt_loopback, worked_recently_minutes',
    }),
} as const;

export type RequestType = keyof typeof requestSchemas;
export type RequestOf<T extends RequestType> = z.output<(typeof requestSchemas)[T]>;

export const requestTypes = Object.keys(requestSchemas) as RequestType[];

export function isRequestType(value: unknown): value is RequestType {
  return typeof value === 'string' && Object.hasOwn(requestSchemas, value);
}

/** Types that need a valid `session_token`. */
export function requiresSession(type: RequestType): boolean {
  return type.startsWith('admin_') || type === 'auth_logout';
}

/** The envelope every request shares; `request_id` is echoed unchanged. */
export const envelopeSchema = z.object({
  type: z.string(),
  request_id: z.union([z.string(), z.number()]).optional(),
  session_token: z.string().optional(),
});
