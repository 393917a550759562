/**
 * tcadif (npm, by Thomas Cort) as an ADIF validator we did not write: it reads a whole `.adi`
 * text and throws on any field its ADIF definitions reject (an enumeration value such as MODE or
 * BAND that ADIF does not list, a malformed date, time or number), and on a QSO without
 * QSO_DATE, TIME_ON, CALL, BAND or FREQ, and MODE.
 */
import { createRequire } from 'node:module';

interface TcadifFile {
  toObject(): { header: Record<string, string> | null; qsos: Record<string, string>[] };
}

const require = createRequire(import.meta.url);
const tcadif = require('tcadif') as {
  ADIF: { parse(text: string): TcadifFile };
  enums: { Mode: Record<string, string>; Band: Record<string, unknown> };
};

/** The records of `text` as tcadif reads them (field names upper case); throws when it finds `text` invalid. */
export function validateAdif(text: string): Record<string, string>[] {
  return tcadif.ADIF.parse(text).toObject().qsos;
}

/** The MODE enumeration as tcadif has it. */
export const TCADIF_MODES: readonly string[] = Object.keys(tcadif.enums.Mode);
