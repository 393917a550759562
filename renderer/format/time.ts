/** How times are shown: UTC everywhere, as radio amateurs log them. */

const pad = (value: number) => String(value).padStart(2, '0');

/** `10:30:05` (UTC). */
export function utcClock(ms: number): string {
  const date = new Date(ms);
  return `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
}

/** `10:30` (UTC) from an ISO timestamp. */
export function utcHourMinute(iso: string): string {
  return iso.slice(11, 16);
}

/** `2025-07-23 10:30` (UTC) from an ISO timestamp. */
export function utcDateTime(iso: string): string {
  return `${iso.slice(0, 10)} ${utcHourMinute(iso)}`;
}

/** A running time: `0:07`, `12:34`, `1:02:03`. Never negative (clocks on two machines differ). */
export function elapsed(seconds: number): string {
  const total = Math.max(0, Math.floor(seconds));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const rest = pad(total % 60);
  return hours > 0 ? `${hours}:${pad(minutes)}:${rest}` : `${minutes}:${rest}`;
}

/** A rough duration for waits: `< 1 min`, `4 min`, `1 h 05 min`. */
export function roughDuration(seconds: number): string {
  const minutes = Math.round(seconds / 60);
  if (minutes < 1) return '< 1 min';
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${pad(minutes % 60)} min`;
}

/** Seconds from `iso` to `now` (ms). */
export function secondsSince(iso: string, now: number): number {
  return (now - Date.parse(iso)) / 1000;
}
