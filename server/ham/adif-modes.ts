/**
 * ADIF's Mode and Submode enumerations (ADIF 3.1.7, adif.org), as data: each MODE with its
 * SUBMODEs, and the import-only MODE values older loggers still write (`<MODE:4>C4FM`,
 * `<MODE:5>PSK31`), each of which ADIF says to export as its parent mode with it as the submode.
 *
 * Transcribed from the enumerations adif.org publishes with the specification: ADIF 3.1.6 as
 * generated in farmergreg/spec (enum/mode/mode_gen.go at 0c6f8e8fec609565a95b6e28f630f2389635f7c6),
 * plus 3.1.7's additions (MODE OFDM; SUBMODEs FT2, FREEDATA, RIBBIT_PIX, RIBBIT_SMS). The test
 * suite checks every MODE against tcadif's own copy of the enumeration (tests/ham/adif-modes.test.ts).
 *
 * Pileup Buster keeps one mode string per QSO, the most precise name: the submode where ADIF has
 * one (`USB`, `FT4`, `Q65`, `C4FM`), else the mode (`FT8`, `CW`, `SSB`). Loggers report modes
 * that way too (WSJT-X's QSO Logged says `Q65`; its Logged ADIF says `MFSK`/`Q65`).
 */
const MODES: Readonly<Record<string, readonly string[]>> = {
  AM: [],
  ARDOP: [],
  ATV: [],
  CHIP: ['CHIP64', 'CHIP128'],
  CLO: [],
  CONTESTI: [],
  CW: ['PCW'],
  DIGITALVOICE: ['C4FM', 'DMR', 'DSTAR', 'FREEDV', 'M17'],
  DOMINO: ['DOM-M', 'DOM4', 'DOM5', 'DOM8', 'DOM11', 'DOM16', 'DOM22', 'DOM44', 'DOM88', 'DOMINOEX', 'DOMINOF'],
  DYNAMIC: ['FREEDATA', 'VARA HF', 'VARA SATELLITE', 'VARA FM 1200', 'VARA FM 9600'],
  FAX: [],
  FM: [],
  FSK: ['SCAMP_FAST', 'SCAMP_SLOW', 'SCAMP_VSLOW'],
  FSK441: [],
  FT8: [],
  HELL: ['FMHELL', 'FSKH105', 'FSKH245', 'FSKHELL', 'HELL80', 'HELLX5', 'HELLX9', 'HFSK', 'PSKHELL', 'SLOWHELL'],
  ISCAT: ['ISCAT-A', 'ISCAT-B'],
  JT4: ['JT4A', 'JT4B', 'JT4C', 'JT4D', 'JT4E', 'JT4F', 'JT4G'],
  JT44: [],
  JT65: ['JT65A', 'JT65B', 'JT65B2', 'JT65C', 'JT65C2'],
  JT6M: [],
  JT9: [
    'JT9-1', 'JT9-2', 'JT9-5', 'JT9-10', 'JT9-30', 'JT9A', 'JT9B', 'JT9C', 'JT9D', 'JT9E', 'JT9E FAST', 'JT9F',
    'JT9F FAST', 'JT9G', 'JT9G FAST', 'JT9H', 'JT9H FAST',
  ],
  MFSK: [
    'FSQCALL', 'FST4', 'FST4W', 'FT2', 'FT4', 'JS8', 'JTMS', 'MFSK4', 'MFSK8', 'MFSK11', 'MFSK16', 'MFSK22', 'MFSK31',
    'MFSK32', 'MFSK64', 'MFSK64L', 'MFSK128', 'MFSK128L', 'Q65',
  ],
  MSK144: [],
  MT63: [],
  MTONE: ['SCAMP_OO', 'SCAMP_OO_SLW'],
  OFDM: ['RIBBIT_PIX', 'RIBBIT_SMS'],
  OLIVIA: ['OLIVIA 4/125', 'OLIVIA 4/250', 'OLIVIA 8/250', 'OLIVIA 8/500', 'OLIVIA 16/500', 'OLIVIA 16/1000', 'OLIVIA 32/1000'],
  OPERA: ['OPERA-BEACON', 'OPERA-QSO'],
  PAC: ['PAC2', 'PAC3', 'PAC4'],
  PAX: ['PAX2'],
  PKT: [],
  PSK: [
    '8PSK125', '8PSK125F', '8PSK125FL', '8PSK250', '8PSK250F', '8PSK250FL', '8PSK500', '8PSK500F', '8PSK1000',
    '8PSK1000F', '8PSK1200F', 'FSK31', 'PSK10', 'PSK31', 'PSK63', 'PSK63F', 'PSK63RC4', 'PSK63RC5', 'PSK63RC10',
    'PSK63RC20', 'PSK63RC32', 'PSK125', 'PSK125C12', 'PSK125R', 'PSK125RC10', 'PSK125RC12', 'PSK125RC16',
    'PSK125RC4', 'PSK125RC5', 'PSK250', 'PSK250C6', 'PSK250R', 'PSK250RC2', 'PSK250RC3', 'PSK250RC5', 'PSK250RC6',
    'PSK250RC7', 'PSK500', 'PSK500C2', 'PSK500C4', 'PSK500R', 'PSK500RC2', 'PSK500RC3', 'PSK500RC4', 'PSK800C2',
    'PSK800RC2', 'PSK1000', 'PSK1000C2', 'PSK1000R', 'PSK1000RC2', 'PSKAM10', 'PSKAM31', 'PSKAM50', 'PSKFEC31',
    'QPSK31', 'QPSK63', 'QPSK125', 'QPSK250', 'QPSK500', 'SIM31',
  ],
  PSK2K: [],
  Q15: [],
  QRA64: ['QRA64A', 'QRA64B', 'QRA64C', 'QRA64D', 'QRA64E'],
  ROS: ['ROS-EME', 'ROS-HF', 'ROS-MF'],
  RTTY: ['ASCI'],
  RTTYM: [],
  SSB: ['LSB', 'USB'],
  SSTV: [],
  T10: [],
  THOR: ['THOR-M', 'THOR4', 'THOR5', 'THOR8', 'THOR11', 'THOR16', 'THOR22', 'THOR25X4', 'THOR50X1', 'THOR50X2', 'THOR100'],
  THRB: ['THRBX', 'THRBX1', 'THRBX2', 'THRBX4', 'THROB1', 'THROB2', 'THROB4'],
  TOR: ['AMTORFEC', 'GTOR', 'NAVTEX', 'SITORB'],
  V4: [],
  VOI: [],
  WINMOR: [],
  WSPR: [],
};

/** Each SUBMODE's MODE. ADIF's import-only MODE values are all submodes now, so this maps them too. */
const PARENT = new Map<string, string>(Object.entries(MODES).flatMap(([mode, submodes]) => submodes.map((submode) => [submode, mode] as const)));

/** The MODE values ADIF exports, for the tests and for anyone who lists them. */
export const ADIF_MODES: readonly string[] = Object.keys(MODES);

/** Every SUBMODE with its MODE. */
export function adifSubmodes(): [submode: string, mode: string][] {
  return [...PARENT.entries()];
}

/** How a mode is written in ADIF: MODE and SUBMODE, or neither when no ADIF table knows it. */
export type AdifMode = { mode: string; submode?: string } | { unknown: string };

/** Our mode (`USB`, `Q65`, `FT8`, `VARAC`) as ADIF writes it (`SSB`/`USB`, `MFSK`/`Q65`, `FT8`, unknown). */
export function toAdifMode(mode: string): AdifMode {
  const upper = mode.trim().toUpperCase();
  if (Object.hasOwn(MODES, upper)) return { mode: upper };
  const parent = PARENT.get(upper);
  return parent === undefined ? { unknown: upper } : { mode: parent, submode: upper };
}

/**
 * An imported MODE and SUBMODE as one mode string: the submode when ADIF lists it under that
 * mode (or the mode is an import-only name such as `C4FM`), else the mode. A submode no table
 * knows under the mode given is dropped rather than invented into a mode.
 */
export function fromAdifMode(mode: string | undefined, submode: string | undefined): string | undefined {
  const upper = mode?.trim().toUpperCase() || undefined;
  const sub = submode?.trim().toUpperCase() || undefined;
  if (sub !== undefined && PARENT.has(sub) && (upper === undefined || PARENT.get(sub) === upper || PARENT.get(upper) === PARENT.get(sub))) return sub;
  return upper;
}
