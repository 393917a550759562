/**
 * The operator's statistics, computed from the QSO log when asked: the rate meter and the chart
 * read only the newest QSOs (a lazy newest-first scan that stops at the chart's start), the
 * band and continent counts are kept by the log itself, so a request stays cheap with 100,000
 * QSOs. Registrations are not in the log: the core keeps their times, bounded, here.
 */
import { isoAt } from '../time/clock.js';
import { STATS_BUCKET_MS, STATS_BUCKETS, type Statistics } from '../protocol/statistics.js';
import type { QsoLog } from './qso-log.js';

export type { Statistics };

const HOUR_MS = 60 * 60 * 1000;
const WAIT_SAMPLE = 100;
/** The wait is looked for among this many newest QSOs at most (most may come from a logger). */
const WAIT_SCAN = 1000;
const RATE_SAMPLE = 100;
const RATE_LOOKBACK_MS = 2 * HOUR_MS;
/** A rate over a shorter span than this would be a wild guess; shorter spans count as this long. */
const MIN_RATE_SPAN_MS = 60 * 1000;

/** Registration times (ms), the last 24 hours and at most 10,000 of them. */
export class RegistrationTimes {
  static readonly KEPT_MS = 24 * HOUR_MS;
  static readonly MAX = 10_000;
  private times: number[] = [];

  record(at: number): void {
    this.times.push(at);
    if (this.times.length > RegistrationTimes.MAX) this.times.splice(0, this.times.length - RegistrationTimes.MAX);
  }

  since(from: number): number[] {
    const first = this.times.findIndex((at) => at >= from);
    if (first < 0) this.times = [];
    else if (first > 0) this.times.splice(0, first);
    return [...this.times];
  }
}

/**
 * QSOs per hour of the `ends` given (newest first) over the time from the oldest of them to now,
 * looking back no more than two hours (as WriteLog's and N1MM's rate meters do), so one QSO
 * from yesterday does not drag the rate of a fresh run to zero.
 */
function rateOf(ends: readonly number[], now: number): number {
  const recent = ends.filter((end) => now - end <= RATE_LOOKBACK_MS);
  const oldest = recent[recent.length - 1];
  if (oldest === undefined) return 0;
  return Math.round((recent.length * HOUR_MS) / Math.max(now - oldest, MIN_RATE_SPAN_MS));
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const value = sorted.length % 2 === 1 ? sorted[middle] : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
  return Math.round(value ?? 0);
}

export function statistics(log: QsoLog, registrations: readonly number[], now: number): Statistics {
  const currentBucket = Math.floor(now / STATS_BUCKET_MS) * STATS_BUCKET_MS;
  const chartStart = currentBucket - (STATS_BUCKETS - 1) * STATS_BUCKET_MS;
  const buckets = Array.from({ length: STATS_BUCKETS }, (_, i) => ({
    start: isoAt(chartStart + i * STATS_BUCKET_MS),
    qsos: 0,
    registrations: 0,
  }));
  const bucketAt = (at: number) => (at >= chartStart && at <= now ? buckets[Math.floor((at - chartStart) / STATS_BUCKET_MS)] : undefined);

  const newestEnds: number[] = [];
  const waits: number[] = [];
  let lastHour = 0;
  let scanned = 0;
  for (const entry of log.newestFirst()) {
    const end = Date.parse(entry.ended_at);
    const wanted = waits.length < WAIT_SAMPLE && scanned < WAIT_SCAN;
    if (newestEnds.length >= RATE_SAMPLE && !wanted && end < chartStart) break;
    scanned += 1;
    if (newestEnds.length < RATE_SAMPLE) newestEnds.push(end);
    if (wanted && entry.queued_at !== undefined) {
      waits.push(Math.max(0, (Date.parse(entry.started_at) - Date.parse(entry.queued_at)) / 1000));
    }
    if (now - end <= HOUR_MS && end <= now) lastHour += 1;
    const bucket = bucketAt(end);
    if (bucket !== undefined) bucket.qsos += 1;
  }
  for (const at of registrations) {
    const bucket = bucketAt(at);
    if (bucket !== undefined) bucket.registrations += 1;
  }

  return {
    total_qsos: log.size,
    unique_callsigns: log.callsignCount,
    rates: { last_10: rateOf(newestEnds.slice(0, 10), now), last_100: rateOf(newestEnds, now), last_hour: lastHour },
    per_10_minutes: buckets,
    median_wait_s: median(waits),
    wait_sample: waits.length,
    by_band: log.countsByBand(),
    by_continent: log.countsByContinent(),
  };
}
