/**
 * The wait estimate: the average time between the last few completed QSOs. One rule for the
 * server's `estimated_wait_s` on registration and the console's estimate, so a caller and the
 * operator see the same figure. Dependency-free, so the renderer imports it too.
 */
export const RATE_SAMPLE = 10;
export const RATE_WINDOW_MS = 60 * 60 * 1000;

/** Seconds per QSO from the end times (ms) of recent QSOs, or null while there is too little to go on. */
export function secondsPerQso(ends: readonly number[], now: number): number | null {
  const recent = [...ends]
    .filter((end) => now - end <= RATE_WINDOW_MS)
    .sort((a, b) => a - b)
    .slice(-RATE_SAMPLE);
  const first = recent[0];
  const last = recent[recent.length - 1];
  if (first === undefined || last === undefined || recent.length < 2 || last === first) return null;
  return (last - first) / 1000 / (recent.length - 1);
}

/** Keeps the newest RATE_SAMPLE end times, oldest first. */
export function rememberEnd(ends: readonly number[], end: number): number[] {
  return [...ends, end].sort((a, b) => a - b).slice(-RATE_SAMPLE);
}
