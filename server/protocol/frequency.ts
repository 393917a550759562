/**
 * Frequencies on the wire: MHz as decimal strings, inside the amateur bands. Operators type MHz
 * (`14.195`) or, as most rigs show it, kHz (`14195`). `readFrequency` is the one rule for typed
 * and sent frequencies: the request validation and the console's form both use it. The band
 * table is ADIF 3.1's "Band" enumeration (edges in MHz, inclusive); dependency-free, so the
 * renderer bundles it.
 */
export const BANDS: readonly [name: string, lowMhz: number, highMhz: number][] = [
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
