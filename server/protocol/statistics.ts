/**
 * What `admin_get_stats` answers: the N1MM-style rate meter, QSOs and registrations per ten
 * minutes, the median wait of the callers worked from the queue, and the log by band and
 * continent. Dependency-free apart from zod, so the console imports the types.
 */
import { z } from 'zod';
import { timestampSchema } from './entities.js';

const count = z.number().int().nonnegative();
/** QSOs per hour. */
const rate = z.number().int().nonnegative();

export const STATS_BUCKET_MS = 10 * 60 * 1000;
/** The chart shows the last two hours (the last bucket is the current, partial one). */
export const STATS_BUCKETS = 12;

export const statisticsSchema = z.object({
  total_qsos: count,
  unique_callsigns: count,
  rates: z.object({
    /** The 10 newest QSOs over the time from the oldest of them to now (looking back two hours at most). */
    last_10: rate,
    /** The same for the 100 newest. */
    last_100: rate,
    /** QSOs logged in the last 60 minutes. */
    last_hour: count,
  }),
  per_10_minutes: z.array(z.object({ start: timestampSchema, qsos: count, registrations: count })).length(STATS_BUCKETS),
  /** The median time from joining the queue to being worked, of the last 100 callers worked from it. */
  median_wait_s: z.number().int().nonnegative().nullable(),
  wait_sample: count,
  by_band: z.record(z.string(), count),
  by_continent: z.record(z.string(), count),
});
export type Statistics = z.infer<typeof statisticsSchema>;
