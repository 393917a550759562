/**
 * Schemas of everything the server sends: replies, broadcasts and the welcome. The core builds
 * its snapshots in these shapes, the gateway sends them, and the tests parse every frame they
 * receive with them, so the wire format has exactly one definition.
 */
import { z } from 'zod';
import { ErrorCode } from './errors.js';

const timestamp = z.string().regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
const requestId = z.union([z.string(), z.number()]).nullable();

export const queueEntrySchema = z.object({
  callsign: z.string(),
  position: z.number().int().positive(),
  timestamp,
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
});
export type LogEntry = z.infer<typeof logEntrySchema>;

export const statusSchema = z.object({
  system_active: z.boolean(),
  queue_size: z.number().int().nonnegative(),
  max_queue_size: z.number().int().positive(),
  current_qso: currentQsoSchema.nullable(),
  queue: z.array(queueEntrySchema),
  registration_enabled: z.boolean(),
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

export const broadcastSchema = z.discriminatedUnion('type', [
  queueUpdateSchema,
  qsoUpdateSchema,
  systemStatusUpdateSchema,
  frequencyUpdateSchema,
  settingsUpdateSchema,
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
]);
export type ServerMessage = z.infer<typeof serverMessageSchema>;
