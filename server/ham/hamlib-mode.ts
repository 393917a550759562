/**
 * Hamlib's modes (the names `rigctld` answers to `m`, from Hamlib's `rig_strrmode`) → the modes
 * the station keeps, the ones loggers send (`USB`, `CW`, `FT8`…).
 *
 * Data modes (`PKTUSB`, `PKTLSB`, `PKTFM`, `PKTAM`; `USB-D`… on some rigs) say only that a sound
 * card drives the radio: the real mode (FT8, PSK31, RTTY…) is known to the program that runs it
 * (WSJT-X, fldigi) or the operator, so they map to nothing and the station's mode is kept.
 * Modes with no counterpart among the loggers' (DSB, fax, IQ, spectrum, ISB, P25, DMR…) map to nothing too.
 */
const HAMLIB_MODES: ReadonlyMap<string, string> = new Map(Object.entries({
  USB: 'USB',
  LSB: 'LSB',
  ECSSUSB: 'USB',
  ECSSLSB: 'LSB',
  CW: 'CW',
  CWR: 'CW',
  CWN: 'CW',
  RTTY: 'RTTY',
  RTTYR: 'RTTY',
  AM: 'AM',
  AMN: 'AM',
  AMS: 'AM',
  SAM: 'AM',
  SAL: 'AM',
  SAH: 'AM',
  FM: 'FM',
  FMN: 'FM',
  WFM: 'FM',
  PSK: 'PSK',
  PSKR: 'PSK',
  'D-STAR': 'DSTAR',
  C4FM: 'C4FM',
}));

/** The station's mode for a Hamlib mode, or undefined when the station's own mode should stay. */
export function modeFromHamlib(raw: string): string | undefined {
  return HAMLIB_MODES.get(raw.trim().toUpperCase());
}
