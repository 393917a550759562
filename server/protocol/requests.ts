/**
 * Schemas of every inbound message, one per `type`. They check shape and field types only; the
 * rules that depend on state (inactive system, duplicate callsign, callsign syntax for
 * registration) belong to the core, so that the order of checks the protocol prescribes holds.
 */
import { z } from 'zod';
import { readFrequency } from './frequency.js';
import { bridgeSettingsRequestSchema } from './bridges.js';
import { listenSettingsSchema } from './listen.js';
import { queueCapacitySchema, registrationRulesSchema } from './entities.js';
import { relaySettingsRequestSchema } from './relay.js';
import { LOCATOR_PROBLEM, normalizeLocator } from './locator.js';
import { RECENT_QSOS_LIMIT } from './rules.js';
import { stationChangesSchema } from './station.js';

/**
 * Frequencies arrive as "14.205" or 14.205 (MHz), or as kHz ("14205"); they are kept as the
 * MHz decimal string. One inside no amateur band is refused (server/ham/frequency.ts).
 */
const frequencyMhz = z.union([z.string().trim().max(16), z.number()]).transform((value, context) => {
  const reading = readFrequency(value);
  if (reading.ok) return reading.mhz;
  context.addIssue({ code: 'custom', message: reading.problem });
  return z.NEVER;
});

/** Modes are kept as sent here; the core normalises them (one rule for every adapter). */
const mode = z.string().trim().min(1).max(16);
const report = z.union([z.string().trim().max(8), z.number().int().nonnegative()]).transform(String);
const isoTimestamp = z
  .string()
  .refine((value) => !Number.isNaN(Date.parse(value)), { message: 'must be an ISO-8601 timestamp' })
  .transform((value) => new Date(value).toISOString());
const source = z.string().trim().min(1).max(32);
/** Callsign fields are strings here; their syntax is the core's rule (INVALID_CALLSIGN). */
const callsignField = z.string();

/**
 * `frequency` and `frequency_mhz` are two names for one field (the earlier edition used both):
 * either may be sent; both with different values is refused rather than one silently winning.
 * Handlers see `frequency` only.
 */
const frequencyAliases = { frequency: frequencyMhz.optional(), frequency_mhz: frequencyMhz.optional() };
type FrequencyAliases = { frequency?: string | undefined; frequency_mhz?: string | undefined };
const sameFrequency = {
  check: (value: FrequencyAliases) =>
    value.frequency === undefined || value.frequency_mhz === undefined || value.frequency === value.frequency_mhz,
  message: 'frequency and frequency_mhz name the same field; send one (or the same value in both)',
};
function oneFrequency<T extends FrequencyAliases>({ frequency, frequency_mhz, ...rest }: T) {
  return { ...rest, frequency: frequency ?? frequency_mhz };
}

const empty = z.object({});
const locatorField = z.string().max(16).refine((value) => normalizeLocator(value) !== null, { message: LOCATOR_PROBLEM });
/** An ADIF import over IPC or HTTP; a WebSocket frame stops at 64 KiB anyway. */
export const MAX_ADIF_IMPORT_CHARS = 64 * 1024 * 1024;

export const requestSchemas = {
  auth_request: z.object({ username: z.string(), password: z.string() }),
  auth_logout: empty,
  /** `locator` (optional): the caller's Maidenhead locator, for the map and the bearing. */
  register_callsign: z.object({ callsign: callsignField, locator: locatorField.optional() }),
  get_queue_status: empty,
  get_current_qso: empty,
  ping: empty,
  get_recent_qsos: z.object({ limit: z.number().int().min(1).max(RECENT_QSOS_LIMIT.max).optional() }),
  search_log: z.object({ callsign: callsignField }),

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

  admin_start_qso: z
    .object({ callsign: callsignField, ...frequencyAliases, mode: mode.optional(), source: source.optional() })
    .refine(sameFrequency.check, { message: sameFrequency.message, path: ['frequency_mhz'] })
    .transform(oneFrequency),
  admin_work_specific: z.object({ callsign: callsignField }),
  admin_cancel_qso: empty,
  admin_no_show: empty,
  admin_remove_callsign: z.object({ callsign: callsignField }),
  admin_get_status: empty,
  admin_get_queue: empty,
  admin_set_frequency: z
    .object({ ...frequencyAliases, mode: mode.optional() })
    .refine(sameFrequency.check, { message: sameFrequency.message, path: ['frequency_mhz'] })
    .refine((value) => value.frequency !== undefined || value.frequency_mhz !== undefined, {
      message: 'frequency or frequency_mhz is required',
      path: ['frequency'],
    })
    .transform(({ frequency, frequency_mhz, ...rest }) => ({ ...rest, frequency: (frequency ?? frequency_mhz) as string })),
  admin_clear_frequency: empty,
  admin_set_split: z.object({ split: z.union([z.string().trim().min(1).max(32), z.number()]).transform(String) }),
  admin_clear_split: empty,

  admin_set_max_queue_size: z.object({ max_queue_size: queueCapacitySchema }),
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
  admin_get_station: empty,
  admin_set_station: stationChangesSchema,
  admin_get_stats: empty,

  admin_pause_registration: empty,
  admin_resume_registration: empty,
  admin_ban_callsign: z.object({
    callsign: callsignField,
    reason: z.string().trim().max(200).optional(),
    only_this_form: z.boolean().optional(),
  }),
  admin_unban_callsign: z.object({ callsign: callsignField, undo: z.boolean().optional() }),
  admin_get_controls: empty,
  admin_set_registration_rules: registrationRulesSchema
    .partial()
    .refine((rules) => Object.values(rules).some((value) => value !== undefined), {
      message: 'give at least one of rate_limit_count, rate_limit_window_s, rate_limit_exempt_loopback, worked_recently_minutes',
    }),
} as const;

export type RequestType = keyof typeof requestSchemas;
/** A request after validation, as the handlers get it. */
export type RequestOf<T extends RequestType> = z.output<(typeof requestSchemas)[T]>;

type SchemaInput<T extends RequestType> = z.input<(typeof requestSchemas)[T]>;
/** zod reads `z.object({})` as `Record<string, never>`, which no request with a `type` could satisfy. */
type RequestFields<T extends RequestType> = string extends keyof SchemaInput<T> ? unknown : SchemaInput<T>;

/**
 * A request as a client sends it (without `request_id`/`session_token`, which transports add):
 * a misspelled type or field is a compile error in the renderer and the Electron shell.
 */
export type RequestMessage<T extends RequestType = RequestType> = { [K in T]: { type: K } & RequestFields<K> }[T];

export const requestTypes = Object.keys(requestSchemas) as RequestType[];

export function isRequestType(value: unknown): value is RequestType {
  return typeof value === 'string' && Object.hasOwn(requestSchemas, value);
}

/** Types that need a valid `session_token`. */
export function requiresSession(type: RequestType): boolean {
  return type.startsWith('admin_') || type === 'auth_logout';
}
