import { describe, expect, it } from 'vitest';
import type { LogEntry } from '../../server/protocol/replies.js';
import { adifFileName, toAdif } from './adif.js';

const CREATED = new Date('2025-07-23T10:31:00.000Z');
const qso: LogEntry = {
  qso_id: 'q1',
  callsign: 'EA8/DL1ABC/P',
  started_at: '2025-07-23T10:30:05.123Z',
  ended_at: '2025-07-23T10:32:45.000Z',
  source: 'logging_software',
  frequency: '14.205',
  mode: 'USB',
  rst_sent: '59',
  rst_received: '57',
};

describe('toAdif', () => {
  it('writes a header that does not start with "<", then <EOH>', () => {
    const text = toAdif([], '0.1.0', CREATED);
    expect(text.startsWith('<')).toBe(false);
    expect(text).toContain('<ADIF_VER:5>3.1.4 ');
    expect(text).toContain('<PROGRAMVERSION:5>0.1.0 ');
    expect(text).toContain('<CREATED_TIMESTAMP:15>20250723 103100 ');
    expect(text.trimEnd().endsWith('<EOH>')).toBe(true);
  });

  it('writes one record per QSO with UTC dates and times and length-prefixed fields', () => {
    const record = toAdif([qso], '0.1.0', CREATED).split('<EOH>\n')[1];
    expect(record).toBe(
      '<CALL:12>EA8/DL1ABC/P <QSO_DATE:8>20250723 <TIME_ON:6>103005 <QSO_DATE_OFF:8>20250723 <TIME_OFF:6>103245 ' +
        '<FREQ:6>14.205 <MODE:3>SSB <SUBMODE:3>USB <RST_SENT:2>59 <RST_RCVD:2>57 <EOR>\n',
    );
  });

  it('leaves out fields the QSO does not have', () => {
    const { frequency: _f, mode: _m, rst_sent: _s, rst_received: _r, ...bare } = qso;
    const record = toAdif([bare], '', CREATED).split('<EOH>\n')[1] ?? '';
    expect(record).not.toMatch(/FREQ|MODE|RST/);
  });

  it('maps FT4 to the MFSK mode, as ADIF defines it', () => {
    expect(toAdif([{ ...qso, mode: 'FT4' }], '', CREATED)).toContain('<MODE:4>MFSK <SUBMODE:3>FT4 ');
  });

  it('drops characters outside printable ASCII so every declared length is right', () => {
    expect(toAdif([{ ...qso, mode: 'SSB\u00e9\n' }], '', CREATED)).toContain('<MODE:3>SSB ');
  });
});

describe('adifFileName', () => {
  it('names the file after the UTC time of the export', () => {
    expect(adifFileName(CREATED)).toBe('pileup-log-20250723-103100.adi');
  });
});
