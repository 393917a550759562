/**
 * The band of a frequency (the band table is the wire's, server/protocol/frequency.ts), and the
 * mode family dupes are counted in: a station worked on 20 m SSB is a dupe on 20 m USB, not on
 * 20 m CW.
 */
import { bandAt } from '../protocol/frequency.js';

/** `"14.205"` → `"20m"`; undefined outside the amateur bands or without a frequency. */
export function bandOf(frequencyMhz: string | undefined): string | undefined {
  if (frequencyMhz === undefined) return undefined;
  return bandAt(Number(frequencyMhz));
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
