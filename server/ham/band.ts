/**
 * Amateur bands as ADIF names them, from a frequency in MHz, and the mode family dupes are
 * counted in: a station worked on 20 m SSB is a dupe on 20 m USB, not on 20 m CW.
 */
const BANDS: readonly [name: string, lowMhz: number, highMhz: number][] = [
  ['2190m', 0.1357, 0.1378],
  ['630m', 0.472, 0.479],
  ['160m', 1.8, 2.0],
  ['80m', 3.5, 4.0],
  ['60m', 5.06, 5.45],
  ['40m', 7.0, 7.3],
  ['30m', 10.1, 10.15],
  ['20m', 14.0, 14.35],
  ['17m', 18.068, 18.168],
  ['15m', 21.0, 21.45],
  ['12m', 24.89, 24.99],
  ['10m', 28.0, 29.7],
  ['6m', 50, 54],
  ['4m', 70, 71],
  ['2m', 144, 148],
  ['1.25m', 222, 225],
  ['70cm', 420, 450],
  ['33cm', 902, 928],
  ['23cm', 1240, 1300],
  ['13cm', 2300, 2450],
];

/** `"14.205"` → `"20m"`; undefined outside the amateur bands or without a frequency. */
export function bandOf(frequencyMhz: string | undefined): string | undefined {
  if (frequencyMhz === undefined) return undefined;
  const mhz = Number(frequencyMhz);
  return BANDS.find(([, low, high]) => mhz >= low && mhz <= high)?.[0];
}

const SSB_MODES = new Set(['SSB', 'USB', 'LSB']);

/** USB/LSB are SSB for dupe purposes; every other mode stands for itself. */
export function modeFamily(mode: string | undefined): string | undefined {
  if (mode === undefined) return undefined;
  const upper = mode.toUpperCase();
  return SSB_MODES.has(upper) ? 'SSB' : upper;
}

/** The key under which a QSO counts as "worked on this band and mode", or null when either is unknown. */
export function dupeKey(callsign: string, frequencyMhz: string | undefined, mode: string | undefined): string | null {
  const band = bandOf(frequencyMhz);
  const family = modeFamily(mode);
  return band === undefined || family === undefined ? null : `${callsign}|${band}|${family}`;
}
