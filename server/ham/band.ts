/**
 * Amateur bands as ADIF names them (ADIF 3.1 "Band" enumeration, edges in MHz, inclusive), from
 * a frequency in MHz, and the mode family dupes are counted in: a station worked on 20 m SSB is
 * a dupe on 20 m USB, not on 20 m CW. Dependency-free, so the console's forms use it too.
 */
const BANDS: readonly [name: string, lowMhz: number, highMhz: number][] = [
  ['2190m', 0.1357, 0.1378],
  ['630m', 0.472, 0.479],
  ['560m', 0.501, 0.504],
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
  ['8m', 40, 45],
  ['6m', 50, 54],
  ['5m', 54.000001, 69.9],
  ['4m', 70, 71],
  ['2m', 144, 148],
  ['1.25m', 222, 225],
  ['70cm', 420, 450],
  ['33cm', 902, 928],
  ['23cm', 1240, 1300],
  ['13cm', 2300, 2450],
  ['9cm', 3300, 3500],
  ['6cm', 5650, 5925],
  ['3cm', 10000, 10500],
  ['1.25cm', 24000, 24250],
  ['6mm', 47000, 47200],
  ['4mm', 75500, 81000],
  ['2.5mm', 119980, 123000],
  ['2mm', 134000, 149000],
  ['1mm', 241000, 250000],
  ['submm', 300000, 7500000],
];

/** The band a frequency (MHz, as a number) falls in, if any. */
export function bandAt(mhz: number): string | undefined {
  return BANDS.find(([, low, high]) => mhz >= low && mhz <= high)?.[0];
}

/** `"14.205"` → `"20m"`; undefined outside the amateur bands or without a frequency. */
export function bandOf(frequencyMhz: string | undefined): string | undefined {
  if (frequencyMhz === undefined) return undefined;
  return bandAt(Number(frequencyMhz));
}

/** The frequency of a band's lower edge, in MHz, for logs that give a band but no frequency. */
export function bandEdgeMhz(band: string): string | undefined {
  const found = BANDS.find(([name]) => name === band.toLowerCase());
  return found === undefined ? undefined : String(found[1]);
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
