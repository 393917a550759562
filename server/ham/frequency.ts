/**
 * Frequencies as Pileup Buster keeps them: MHz as decimal strings. Loggers send integers in Hz
 * (WSJT-X) or tens of Hz (N1MM); operators type MHz (`14.195`) or, as most rigs show it, kHz
 * (`14195`). `readFrequency` is the one rule for typed and sent frequencies: the server's request
 * validation and the console's form both use it (dependency-free, so the renderer bundles it).
 */
import { bandAt } from './band.js';

export function mhzFromHz(hz: number): string | undefined {
  if (!Number.isFinite(hz) || hz <= 0) return undefined;
  return (hz / 1e6).toFixed(6).replace(/\.?0+$/, '');
}

export type FrequencyReading =
  | { ok: true; mhz: string; band: string; unit: 'MHz' | 'kHz' }
  | { ok: false; problem: string };

const NUMBER = /^\d{1,7}(\.\d{1,7})?$/;
/** From this value on a plain number reads as kHz first: nobody types 14195 meaning MHz. */
const KHZ_FROM = 1000;

/** `"14195"` → `"14.195"`: the decimal point moved three places left, digit by digit (no floats). */
function khzToMhz(text: string): string {
  const [whole = '0', fraction = ''] = text.split('.');
  const digits = whole.padStart(4, '0');
  const mhz = `${digits.slice(0, -3).replace(/^0+(?=\d)/, '')}.${digits.slice(-3)}${fraction}`;
  return mhz.replace(/0+$/, '').replace(/\.$/, '');
}

/**
 * Reads a frequency typed or sent as MHz (`14.195`) or kHz (`14195`). Both readings are tried,
 * kHz first for values of 1000 and more, MHz first below; the first that lies inside an amateur
 * band wins (1296 is 23 cm in MHz, since 1.296 MHz is no band; 10136 is 30 m in kHz). Anything in
 * no band either way is refused with a message that says what was understood.
 */
export function readFrequency(raw: string | number): FrequencyReading {
  const text = typeof raw === 'number' ? String(raw) : raw.trim();
  if (!NUMBER.test(text) || Number(text) <= 0) {
    return { ok: false, problem: 'must be a frequency in MHz (14.195) or kHz (14195)' };
  }
  const asMhz = { mhz: text, unit: 'MHz' as const };
  const asKhz = { mhz: khzToMhz(text), unit: 'kHz' as const };
  const readings = Number(text) >= KHZ_FROM ? [asKhz, asMhz] : [asMhz, asKhz];
  for (const reading of readings) {
    const band = bandAt(Number(reading.mhz));
    if (band !== undefined) return { ok: true, ...reading, band };
  }
  return {
    ok: false,
    problem: `${text} is outside the amateur bands, read as MHz and as kHz (${asKhz.mhz} MHz); give MHz (14.195) or kHz (14195)`,
  };
}
