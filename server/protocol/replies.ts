/**
 * Schemas of everything the server sends: replies, broadcasts and the welcome. The core builds
 * its snapshots in these shapes, the gateway sends them, and the tests parse every frame they
 * receive with them, so the wire format has exactly one definition.
 */
import { z } from 'zod';
import { ErrorCode } from './errors.js';
import { relayUpdateSchema } from './relay.js';
import { timestampSchema as timestamp } from './timestamp.js';
const requestId = z.union([z.string(), z.number()]).nullable();

/** Where a callsign is, from the bundled country file; absent when no prefix matches. */
const countryShape = {
  country: z.string().optional(),
  dxcc: z.number().int().optional(),
  continent: z.string().optional(),
  cq_zone: z.number().int().optional(),
};

export const queueEntrySchema = z.object({
  callsign: z.string(),
  position: z.number().int().positive(),
  timestamp,
  ...countryShape,
  /** Already worked on the station's current band and mode. */
  dupe: z.literal(true).optional(),
});
export type QueueEntry = z.infer<typeof queueEntrySchema>;

export const qsoSources = ['queue', 'queue_specific', 'logging_software', 'direct'] as const;

export const currentQsoSchema = z.object({
  callsign: z.string(),
  timestamp,
  started_at: timestamp,
  source: z.string(),
  qso_id: z.string(),
  frequency: z.string().optional(),
  mode: z.string().optional(),
  rst_sent: z.string().optional(),
  rst_received: z.string().optional(),
  ...countryShape,
});
export type CurrentQso = z.infer<typeof currentQsoSchema>;

export const logEntrySchema = z.object({
  qso_id: z.string(),
  callsign: z.string(),
  started_at: timestamp,
  ended_at: timestamp,
  source: z.string(),
  frequency: z.string().optional(),
  mode: z.string().optional(),
  rst_sent: z.string().optional(),
  rst_received: z.string().optional(),
  /** ADIF band name (`20m`), from the frequency. */
  band: z.string().optional(),
  ...countryShape,
});
export type LogEntry = z.infer<typeof logEntrySchema>;

export const statusSchema = z.object({
  system_active: z.boolean(),
  queue_size: z.number().int().nonnegative(),
  max_queue_size: z.number().int().positive(),
  current_qso: currentQsoSchema.nullable(),
  queue: z.array(queueEntrySchema),
  registration_enabled: z.boolean(),
  registration_paused: z.boolean(),
  frequency: z.string().nullable(),
  mode: z.string().nullable(),
  split: z.string().nullable(),
});
export type Status = z.infer<typeof statusSchema>;

export const successSchema = z.object({
  type: z.literal('success'),
  request_id: requestId,
  message: z.string(),
  data: z.record(z.string(), z.unknown()).optional(),
});

export const errorSchema = z.object({
  type: z.literal('error'),
  request_id: requestId,
  error_code: z.enum(Object.values(ErrorCode) as [ErrorCode, ...ErrorCode[]]),
  message: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
});

export const authResponseSchema = z.object({
  type: z.literal('auth_response'),
  request_id: requestId,
  success: z.literal(true),
  authenticated: z.literal(true),
  session_token: z.string().regex(/^[0-9a-f]{64}$/),
  expires_at: timestamp,
  message: z.string(),
});

export const pongSchema = z.object({
  type: z.literal('pong'),
  request_id: requestId,
  timestamp,
  server_time: timestamp,
  session_valid: z.boolean().optional(),
});

export const welcomeSchema = z.object({
  type: z.literal('welcome'),
  timestamp,
  data: z.object({
    server_version: z.string(),
    api_version: z.string(),
    connection_id: z.string(),
    features: z.array(z.string()),
  }),
});

export const queueChangeTypes = ['registered', 'user_worked', 'removed', 'cleared', 'system_deactivated'] as const;
export type QueueChangeType = (typeof queueChangeTypes)[number];

export const queueUpdateSchema = z.object({
  type: z.literal('queue_update'),
  timestamp,
  data: z.object({
    total: z.number().int().nonnegative(),
    max_size: z.number().int().positive(),
    change_type: z.enum(queueChangeTypes),
    affected_callsign: z.string().nullable(),
    queue: z.array(queueEntrySchema).max(100),
  }),
});

export const qsoChangeTypes = ['qso_started', 'qso_completed', 'qso_cancelled'] as const;
export type QsoChangeType = (typeof qsoChangeTypes)[number];

export const qsoUpdateSchema = z.object({
  type: z.literal('qso_update'),
  timestamp,
  data: z.object({
    callsign: z.string(),
    started_at: timestamp,
    source: z.string(),
    change_type: z.enum(qsoChangeTypes),
    qso_id: z.string(),
    frequency: z.string().optional(),
    mode: z.string().optional(),
    ended_at: timestamp.optional(),
    ...countryShape,
  }),
});

export const systemStatusUpdateSchema = z.object({
  type: z.literal('system_status_update'),
  timestamp,
  data: z.object({ active: z.boolean(), changed_by: z.string() }),
});

export const frequencyUpdateSchema = z.object({
  type: z.literal('frequency_update'),
  timestamp,
  data: z.object({ frequency: z.string().nullable(), mode: z.string().nullable(), split: z.string().nullable() }),
});

export const settingsUpdateSchema = z.object({
  type: z.literal('settings_update'),
  timestamp,
  data: z.object({ max_queue_size: z.number().int().positive() }),
});

/** The rules a registration must pass besides capacity; persisted with the pileup state. */
export const registrationRulesSchema = z.object({
  /** Registrations per address per window; 0 switches the limit off. */
  rate_limit_count: z.number().int().min(0).max(1000),
  rate_limit_window_s: z.number().int().min(1).max(86_400),
  /** The operator's own machine (loopback, the desktop console) is not limited. */
  rate_limit_exempt_loopback: z.boolean(),
  /** A call worked less than this many minutes ago is refused; 0 switches the rule off. */
  worked_recently_minutes: z.number().int().min(0).max(1440),
});
export type RegistrationRules = z.infer<typeof registrationRulesSchema>;

export const banSchema = z.object({ callsign: z.string(), reason: z.string().nullable(), banned_at: timestamp });
export type Ban = z.infer<typeof banSchema>;

/** Abuse controls as the operator sees them (`admin_get_controls`). */
export const controlsSchema = registrationRulesSchema.extend({
  registration_paused: z.boolean(),
  bans: z.array(banSchema),
});
export type Controls = z.infer<typeof controlsSchema>;

/** Broadcast to every connection: counts only, so ban reasons stay with the operator. */
export const controlsUpdateSchema = z.object({
  type: z.literal('controls_update'),
  timestamp,
  data: registrationRulesSchema.extend({
    registration_paused: z.boolean(),
    banned_count: z.number().int().nonnegative(),
    change_type: z.enum(['paused', 'resumed', 'banned', 'unbanned', 'rules_changed']),
    affected_callsign: z.string().nullable(),
  }),
});

export type ControlsChangeType = z.infer<typeof controlsUpdateSchema>['data']['change_type'];

export const broadcastSchema = z.discriminatedUnion('type', [
  queueUpdateSchema,
  qsoUpdateSchema,
  systemStatusUpdateSchema,
  frequencyUpdateSchema,
  settingsUpdateSchema,
  controlsUpdateSchema,
  relayUpdateSchema,
]);
export type Broadcast = z.infer<typeof broadcastSchema>;

/** Every frame the server may send. */
export const serverMessageSchema = z.discriminatedUnion('type', [
  successSchema,
  errorSchema,
  authResponseSchema,
  pongSchema,
  welcomeSchema,
  queueUpdateSchema,
  qsoUpdateSchema,
  systemStatusUpdateSchema,
  frequencyUpdateSchema,
  settingsUpdateSchema,
  controlsUpdateSchema,
  relayUpdateSchema,
]);
export type ServerMessage = z.infer<typeof serverMessageSchema>;
