import { describe, expect, it } from 'vitest';
import { ADIF_MODES, adifSubmodes, fromAdifMode, toAdifMode } from '../../server/ham/adif-modes.js';
import { parseAdif, toAdif } from '../../server/ham/adif.js';
import type { LogEntry } from '../../server/protocol/entities.js';
import { TCADIF_MODES, validateAdif } from '../support/adif-validator.js';

const NOW = Date.UTC(2025, 6, 24);

function qso(mode: string | undefined, index = 0, extra: Partial<LogEntry> = {}): LogEntry {
  const started = Date.UTC(2025, 6, 23, 10, 0, 0) + index * 60_000;
  return {
    qso_id: `q${index}`,
    callsign: 'DL1ABC',
    started_at: new Date(started).toISOString(),
    ended_at: new Date(started + 60_000).toISOString(),
    source: 'queue',
    frequency: '14.074',
    band: '20m',
    ...(mode !== undefined && { mode }),
    ...extra,
  };
}

describe('ADIF modes', () => {
  it('has every MODE of the ADIF enumeration, as tcadif has it', () => {
    expect([...ADIF_MODES].sort()).toEqual([...TCADIF_MODES].sort());
  });

  it('writes a submode as its MODE with the SUBMODE (Q65 is MFSK/Q65, USB is SSB/USB, C4FM is DIGITALVOICE/C4FM)', () => {
    expect(toAdifMode('Q65')).toEqual({ mode: 'MFSK', submode: 'Q65' });
    expect(toAdifMode('usb')).toEqual({ mode: 'SSB', submode: 'USB' });
    expect(toAdifMode('C4FM')).toEqual({ mode: 'DIGITALVOICE', submode: 'C4FM' });
    expect(toAdifMode('FT8')).toEqual({ mode: 'FT8' });
    expect(toAdifMode('VARAC')).toEqual({ unknown: 'VARAC' });
  });

  it('reads MODE and SUBMODE as the submode, and an import-only MODE (C4FM, PSK31) as itself', () => {
    expect(fromAdifMode('MFSK', 'Q65')).toBe('Q65');
    expect(fromAdifMode('ssb', 'lsb')).toBe('LSB');
    expect(fromAdifMode('C4FM', undefined)).toBe('C4FM');
    expect(fromAdifMode('PSK31', undefined)).toBe('PSK31');
    expect(fromAdifMode('SSB', undefined)).toBe('SSB');
    expect(fromAdifMode('CW', 'Q65')).toBe('CW');
    expect(fromAdifMode(undefined, undefined)).toBeUndefined();
  });

  it('round-trips every SUBMODE of the tables through an export that tcadif accepts', () => {
    const submodes = adifSubmodes();
    const entries = submodes.map(([submode], index) => qso(submode, index));
    const text = toAdif(entries, '0.1.0', new Date(NOW));
    const validated = validateAdif(text);
    expect(validated.map((record) => [record.SUBMODE, record.MODE])).toEqual(submodes);
    expect(parseAdif(text, { now: NOW }).entries.map((entry) => entry.mode)).toEqual(submodes.map(([submode]) => submode));
  });

  it('round-trips every MODE through an export that tcadif accepts', () => {
    const entries = ADIF_MODES.map((mode, index) => qso(mode, index));
    const text = toAdif(entries, '0.1.0', new Date(NOW));
    expect(validateAdif(text).map((record) => record.MODE)).toEqual(ADIF_MODES);
    expect(parseAdif(text, { now: NOW }).entries.map((entry) => entry.mode)).toEqual(ADIF_MODES);
  });

  it('keeps a mode no ADIF table knows in APP_PILEUPBUSTER_MODE, never in MODE, and reads it back', () => {
    const text = toAdif([qso('VARAC'), qso('FT8', 1)], '0.1.0', new Date(NOW));
    expect(text).toContain('<APP_PILEUPBUSTER_MODE:5>VARAC');
    expect(text).not.toMatch(/<MODE:\d+>VARAC/);
    // tcadif requires a MODE in every QSO, so the record without one is checked on its own:
    // every field it has is valid, and it is only the (optional in ADIF) MODE that is missing.
    const [header = '', unknown = '', known = ''] = text.split(/(?<=<EOH>|<EOR>)/i);
    expect(() => validateAdif(header + unknown)).toThrow(/missing one or more required fields/);
    expect(validateAdif(header + unknown.replace('<APP_PILEUPBUSTER_MODE', '<MODE:3>SSB <APP_PILEUPBUSTER_MODE'))).toHaveLength(1);
    expect(validateAdif(header + known)).toMatchObject([{ MODE: 'FT8' }]);
    expect(parseAdif(text, { now: NOW }).entries.map((entry) => entry.mode)).toEqual(['VARAC', 'FT8']);
  });
});

describe('ADIF frequency and band', () => {
  it('exports a QSO with a band and no frequency as band only (no invented FREQ), valid for tcadif', () => {
    const text = toAdif([qso('FM', 0, { frequency: undefined, band: '70cm' })], '0.1.0', new Date(NOW));
    expect(text).toContain('<BAND:4>70cm');
    expect(text).not.toContain('<FREQ');
    expect(validateAdif(text)).toMatchObject([{ BAND: '70CM', MODE: 'FM' }]);
    const [back] = parseAdif(text, { now: NOW }).entries;
    expect(back).toMatchObject({ band: '70cm', mode: 'FM' });
    expect(back?.frequency).toBeUndefined();
  });

  it('gives an imported frequency without a band its band', () => {
    const text = '<EOH><CALL:6>DL1ABC<QSO_DATE:8>20250723<TIME_ON:4>1000<FREQ:6>14.074<MODE:3>FT8<EOR>';
    expect(parseAdif(text, { now: NOW }).entries).toMatchObject([{ frequency: '14.074', band: '20m' }]);
  });
});
