/**
 * Every timestamp that comes in is checked against one sane range, 1930-01-01 … one day after
 * the server's clock: admin_send_qso refuses anything else with INVALID_REQUEST and changes
 * nothing; an ADIF import skips and counts such records. (The bridges: tests/bridges.)
 */
import { describe, expect, it } from 'vitest';
import { TIMESTAMP_RANGE_PROBLEM } from '../../server/protocol/timestamp.js';
import { CLOCK_START, dataOf, DAY_MS, expectError, logEntries, MINUTE_MS, useClockedServer } from '../support/fixture.js';

const iso = (ms: number) => new Date(ms).toISOString();

describe('admin_send_qso timestamp', () => {
  const { fx } = useClockedServer();

  it.each([
    ['the last moment JavaScript can represent', '+275760-09-13T00:00:00Z'],
    ['a time before 1930', '1929-12-31T23:59:59Z'],
    ['a time more than a day ahead of the server', iso(CLOCK_START + DAY_MS + MINUTE_MS)],
  ])('refuses %s with INVALID_REQUEST naming the field, and changes nothing', async (_case, timestamp) => {
    const operator = await fx.activeOperator();
    const before = dataOf(await operator.admin('admin_get_status'));
    const reply = await operator.adminRaw('admin_send_qso', { callsign: 'DL1ABC', timestamp });
    expectError(reply, 'INVALID_REQUEST');
    expect(reply.details).toEqual({ issues: [{ field: 'timestamp', problem: TIMESTAMP_RANGE_PROBLEM }] });
    expect(dataOf(await operator.admin('admin_get_status'))).toEqual(before);
    expect(await logEntries(operator)).toEqual([]);
  });

  it.each([
    ['1930-01-01 itself', '1930-01-01T00:00:00.000Z'],
    ['a time just under a day ahead (a logger whose clock runs fast)', iso(CLOCK_START + DAY_MS - MINUTE_MS)],
  ])('accepts %s', async (_case, timestamp) => {
    const operator = await fx.activeOperator();
    expect(await operator.admin('admin_send_qso', { callsign: 'DL1ABC', timestamp })).toMatchObject({ type: 'success' });
    expect(await logEntries(operator)).toEqual([expect.objectContaining({ callsign: 'DL1ABC', ended_at: timestamp })]);
  });
});

describe('admin_import_adif timestamps', () => {
  const { fx } = useClockedServer();

  it('skips and counts records timed before 1930 or more than a day ahead, and imports the rest', async () => {
    const operator = await fx.operator();
    const record = (date: string) => `<call:6>DL1ABC<qso_date:8>${date}<time_on:4>1000<eor>`;
    const adif = `<EOH>${record('19291231')}${record('20250722')}${record('20991231')}`;
    expect(dataOf(await operator.admin('admin_import_adif', { adif }))).toEqual({
      imported: 1,
      repeated: 0,
      skipped: 2,
      skipped_reasons: [{ reason: 'timed before 1930 or more than a day ahead of this computer', count: 2, first_record: 1 }],
      total: 1,
    });
    expect(await logEntries(operator)).toEqual([expect.objectContaining({ started_at: '2025-07-22T10:00:00.000Z' })]);
  });
});
