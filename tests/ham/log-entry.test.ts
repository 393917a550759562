import { describe, expect, it } from 'vitest';
import { countryShape, logEntrySchema } from '../../server/protocol/entities.js';
import { type LogEntryFields, toLogEntry } from '../../server/ham/log-entry.js';

const REQUIRED = {
  qso_id: 'q-1',
  callsign: 'EA8/DL1ABC',
  started_at: '2025-07-23T10:30:05.000Z',
  ended_at: '2025-07-23T10:31:00.000Z',
  source: 'admin_send_qso',
};

describe('toLogEntry', () => {
  it('keeps every reported field the log entry schema knows', () => {
    const reported: LogEntryFields = {
      ...REQUIRED,
      frequency: '14.205',
      mode: 'SSB',
      rst_sent: '59',
      rst_received: '57',
      band: '20m',
      locator: 'IL18',
      queued_at: '2025-07-23T10:20:00.000Z',
    };
    const entry = toLogEntry(reported);
    const derived = Object.keys(countryShape);
    const reportable = Object.keys(logEntrySchema.shape).filter((field) => !derived.includes(field));
    expect(Object.keys(reported).sort()).toEqual(reportable.sort());
    expect(entry).toMatchObject(reported);
    expect(logEntrySchema.strict().parse(entry)).toEqual(entry);
  });

  it('derives the band from the frequency and the country from the callsign', () => {
    const entry = toLogEntry({ ...REQUIRED, frequency: '7.074', band: '20m', mode: ' ft8 ' });
    expect(entry).toMatchObject({ band: '40m', mode: 'FT8', country: 'Canary Islands', continent: 'AF' });
  });

  it('leaves a field nobody reported absent, not undefined', () => {
    expect(Object.keys(toLogEntry({ ...REQUIRED, callsign: 'Q0Q' })).sort()).toEqual(Object.keys(REQUIRED).sort());
    expect(JSON.parse(JSON.stringify(toLogEntry(REQUIRED)))).toEqual(toLogEntry(REQUIRED));
  });
});
