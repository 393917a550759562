/**
 * The QSO log as callers may see it (public requests `get_recent_qsos` and `search_log`): who
 * was worked on which band and mode, from where — never an RST, a frequency to the Hz or a
 * source, and the time only when the operator allows it (station setting
 * `public_worked_times`). Dependency-free apart from zod.
 */
import { z } from 'zod';
import { countryShape, positionShape, timestampSchema } from './entities.js';
import { RECENT_QSOS_LIMIT } from './rules.js';

export const recentQsoSchema = z.object({
  /** The id `qso_update` broadcasts carry too: a page adds QSOs from them without asking again. */
  qso_id: z.string(),
  callsign: z.string(),
  band: z.string().optional(),
  mode: z.string().optional(),
  /** Present only when the operator shows times. */
  ended_at: timestampSchema.optional(),
  ...countryShape,
  ...positionShape,
});
export type RecentQso = z.infer<typeof recentQsoSchema>;

export const recentQsosSchema = z.object({
  /** False when the operator does not show the recent list: then `qsos` is empty. */
  shown: z.boolean(),
  qsos: z.array(recentQsoSchema).max(RECENT_QSOS_LIMIT.max),
});

/** One band and mode a callsign was worked on (band or mode null when the log does not say). */
export const workedSlotSchema = z.object({
  band: z.string().nullable(),
  mode: z.string().nullable(),
  qsos: z.number().int().positive(),
  /** The newest of them; present only when the operator shows times. */
  last_worked_at: timestampSchema.optional(),
});
export type WorkedSlot = z.infer<typeof workedSlotSchema>;

export const logSearchSchema = z.object({
  callsign: z.string(),
  total_qsos: z.number().int().nonnegative(),
  worked: z.array(workedSlotSchema),
});
export type LogSearch = z.infer<typeof logSearchSchema>;
