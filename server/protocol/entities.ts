/**
 * The things replies and broadcasts talk about — a waiting caller, a QSO, a log entry, the
 * pileup's status, the abuse controls — as zod schemas with their TS types derived. The core
 * builds its snapshots in these shapes; dependency-free apart from zod, so the renderer imports
 * the types too.
 */
import { z } from 'zod';
import { QUEUE_CAPACITY } from './rules.js';

/** ISO-8601 UTC with `Z`, as every timestamp on the wire. */
export const timestampSchema = z.string().regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);

/** Where a callsign is, from the bundled country file; absent when no prefix matches. */
export const countryShape = {
  country: z.string().optional(),
  dxcc: z.number().int().optional(),
  continent: z.string().optional(),
  cq_zone: z.number().int().optional(),
};

export const queueCapacitySchema = z.number().int().min(QUEUE_CAPACITY.min).max(QUEUE_CAPACITY.max);

export const queueEntrySchema = z.object({
  callsign: z.string(),
  position: z.number().int().positive(),
  timestamp: timestampSchema,
  ...countryShape,
  /** Already worked on the station's current band and mode. */
  dupe: z.literal(true).optional(),
});
export type QueueEntry = z.infer<typeof queueEntrySchema>;

export const currentQsoSchema = z.object({
  callsign: z.string(),
  timestamp: timestampSchema,
  started_at: timestampSchema,
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
  started_at: timestampSchema,
  ended_at: timestampSchema,
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

export const banSchema = z.object({ callsign: z.string(), reason: z.string().nullable(), banned_at: timestampSchema });
export type Ban = z.infer<typeof banSchema>;

/** Abuse controls as the operator sees them (`admin_get_controls`). */
export const controlsSchema = registrationRulesSchema.extend({
  registration_paused: z.boolean(),
  bans: z.array(banSchema),
});
export type Controls = z.infer<typeof controlsSchema>;
