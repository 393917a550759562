/**
 * Frequencies from loggers: integers in Hz (WSJT-X) or tens of Hz (N1MM) become our MHz strings
 * (typed and sent MHz/kHz are read by server/protocol/frequency.ts), and a logger's report is
 * compared with the station's.
 */
import { normalizeMode } from './mode.js';

/** A logger's integer Hz as our MHz string. */
export function mhzFromHz(hz: number): string | undefined {
  if (!Number.isFinite(hz) || hz <= 0) return undefined;
  return (hz / 1e6).toFixed(6).replace(/\.?0+$/, '');
}

/**
 * Whether a logger's report (MHz string, mode or none) changes the station's frequency or mode.
 * The frequency is compared as a number: "14.0740" typed by the operator and WSJT-X's "14.074"
 * are the same, and repeating it must write nothing; the mode as the core keeps it (mode.ts).
 */
export function changesStation(station: { frequency: string | null; mode: string | null }, frequency: string, mode: string | undefined): boolean {
  const sameFrequency = station.frequency !== null && Number(station.frequency) === Number(frequency);
  const normalized = normalizeMode(mode);
  return !sameFrequency || (normalized !== undefined && normalized !== station.mode);
}
