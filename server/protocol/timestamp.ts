/**
 * The one sanity rule for a timestamp that comes in from the wire (`admin_send_qso`), a bridge
 * (WSJT-X, N1MM) or an ADIF import: from 1930-01-01 (before amateur radio logs as we know them;
 * nothing older is a QSO time) to one day after the server's clock (a logger whose clock runs a
 * little fast, or an operator west of UTC typing tomorrow's date). Anything else, such as
 * `+275760-09-13T00:00:00Z`, would export as invalid ADIF and not re-import.
 */
export const EARLIEST_TIMESTAMP_MS = Date.UTC(1930, 0, 1);
export const LATEST_AHEAD_MS = 24 * 60 * 60 * 1000;
export const TIMESTAMP_RANGE_PROBLEM = "must lie between 1930-01-01T00:00:00Z and one day after the server's clock";

/** `ms` (epoch milliseconds) is a plausible QSO time when the server's clock reads `now`. */
export function isSaneTimestamp(ms: number, now: number): boolean {
  return Number.isFinite(ms) && ms >= EARLIEST_TIMESTAMP_MS && ms <= now + LATEST_AHEAD_MS;
}
