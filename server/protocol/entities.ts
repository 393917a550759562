/**
 * The things replies and broadcasts talk about — a waiting caller, a QSO, a log entry, the
 * pileup's status, the abuse controls — as zod schemas with their TS types derived. The core
 * builds its snapshots in these shapes; dependency-free apart from zod, so the renderer imports
 * the types too.
 */
import { z } from 'zod';
import { QUEUE_CAPACITY } from './rules.js';
import { publicStationSchema } from './station.js';

/** ISO-8601 UTC with `Z`, as every timestamp on the wire. */
export const timestampSchema = z.string().regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);

/** Where a callsign is, from the bundled country file; absent when no prefix matches. */
export const countryShape = {
  country: z.string().optional(),
  dxcc: z.number().int().optional(),
  continent: z.string().optional(),
  cq_zone: z.number().int().optional(),
};

/**
 * Where a station is (its locator's centre, else its DXCC entity's position) and, once the
 * operator has set the station's locator, the short-path bearing (degrees) and distance (km)
 * from there. Computed when sent, never stored.
 */
export const positionShape = {
  lat: z.number().min(-90).max(90).optional(),
  lon: z.number().min(-180).max(180).optional(),
  bearing: z.number().int().min(0).max(359).optional(),
  distance_km: z.number().int().nonnegative().optional(),
};

export const queueCapacitySchema = z.number().int().min(QUEUE_CAPACITY.min).max(QUEUE_CAPACITY.max);

export const queueEntrySchema = z.object({
  callsign: z.string(),
  position: z.number().int().positive(),
  timestamp: timestampSchema,
  ...countryShape,
  ...positionShape,
  /** Already worked on the station's current band and mode. */
  dupe: z.literal(true).optional(),
  /** Times this caller did not answer when called (`admin_no_show`). */
  no_shows: z.number().int().positive().optional(),
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
  ...positionShape,
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
  /** The caller's Maidenhead locator, when known (ADIF GRIDSQUARE). */
  locator: z.string().optional(),
  /** When the caller joined the queue, for QSOs worked from it: the wait statistics. */
  queued_at: timestampSchema.optional(),
  ...countryShape,
});
export type LogEntry = z.infer<typeof logEntrySchema>;

/** A log entry as `admin_get_log` shows it: with the station's position, bearing and distance. */
export const loggedQsoSchema = logEntrySchema.extend(positionShape);
export type LoggedQso = z.infer<typeof loggedQsoSchema>;

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
  /** The operator's station as callers may see it. */
  station: publicStationSchema,
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

export const banSchema = z.object({
  callsign: z.string(),
  reason: z.string().nullable(),
  banned_at: timestampSchema,
  /** True: only this exact form is banned; otherwise every form of the call (`/P`, `EA8/…`) is. */
  only_this_form: z.boolean(),
});
export type Ban = z.infer<typeof banSchema>;

/** Abuse controls as the operator sees them (`admin_get_controls`). */
export const controlsSchema = registrationRulesSchema.extend({
  registration_paused: z.boolean(),
  bans: z.array(banSchema),
});
export type Controls = z.infer<typeof controlsSchema>;
