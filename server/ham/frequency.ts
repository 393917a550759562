/** Loggers send frequencies as integers in Hz (WSJT-X) or tens of Hz (N1MM); we keep MHz strings. */
export function mhzFromHz(hz: number): string | undefined {
  if (!Number.isFinite(hz) || hz <= 0) return undefined;
  return (hz / 1e6).toFixed(6).replace(/\.?0+$/, '');
}
