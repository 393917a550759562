/**
 * Real ADIF files written by other loggers (tests/fixtures/adif/README.md says where each came
 * from), imported as an operator would: every QSO in them arrives, with its mode as ADIF's tables
 * have it, what was skipped is said, and our export of them is valid ADIF for tcadif.
 */
import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { parseAdif, toAdif } from '../../server/ham/adif.js';
import type { LogEntry } from '../../server/protocol/entities.js';
import { validateAdif } from '../support/adif-validator.js';
import type { TestClient } from '../support/harness.js';
import { useServer } from '../support/fixture.js';

const NOW = Date.UTC(2026, 0, 1);

function fixture(name: string): string {
  return readFileSync(new URL(`../fixtures/adif/${name}`, import.meta.url), 'latin1');
}

/** How many records a file has, counted by its `<eor>` tags. */
function records(text: string): number {
  return text.match(/<eor>/gi)?.length ?? 0;
}

describe('real ADIF files', () => {
  it('WSJT-X 2.6.1: every QSO, FT4 read from MFSK/FT4, frequency and band kept', () => {
    const text = fixture('wsjtx-2.6.1-log.adi');
    const { entries, skipped } = parseAdif(text, { now: NOW });
    expect(skipped).toEqual([]);
    expect(entries).toHaveLength(records(text));
    expect(entries[0]).toMatchObject({ callsign: 'KG4LKY', mode: 'FT8', frequency: '28.076249', band: '10m', rst_sent: '+03', rst_received: '-11', started_at: '2023-04-07T18:59:30.000Z', ended_at: '2023-04-07T19:00:30.000Z' });
    expect(entries.filter((entry) => entry.mode === 'FT4').map((entry) => entry.callsign)).toEqual(['K9RE', 'WX4KXT', 'KE8VTB', 'N5WXY', 'W0OVX', 'WN0KS']);
  });

  it('WSJT-X 2017: a header without fields, an empty report, a portable call', () => {
    const text = fixture('wsjtx-2017-log.adi');
    const { entries, skipped } = parseAdif(text, { now: NOW });
    expect(skipped).toEqual([]);
    expect(entries).toHaveLength(records(text));
    expect(entries.find((entry) => entry.callsign === 'OZ0BO/P')).toMatchObject({ band: '40m', mode: 'FT8' });
    expect(entries.find((entry) => entry.callsign === 'LA4PM')?.rst_received).toBeUndefined();
  });

  it('LoTW report: every mode as ADIF has it, and the trailing <APP_LoTW_EOF> reported, not read', () => {
    const text = fixture('lotw-report.adi');
    const { entries, skipped } = parseAdif(text, { now: NOW });
    expect(entries).toHaveLength(records(text));
    expect(skipped).toEqual([{ reason: 'trailing', count: 1, first_record: null, text: '<APP_LoTW_EOF>' }]);
    const modes = entries.map((entry) => entry.mode);
    expect(modes).toEqual(expect.arrayContaining(['FT8', 'SSB', 'FT4', 'PSK31', 'PSK63', 'MFSK16', 'OLIVIA', 'DIGITALVOICE', 'DATA']));
    expect(entries.find((entry) => entry.mode === 'FT4')).toMatchObject({ callsign: 'K2I', band: '20m', frequency: '14.08089' });
  });

  it.each(['wsjtx-2.6.1-log.adi', 'wsjtx-2017-log.adi', 'lotw-report.adi'])('%s re-exports as ADIF tcadif accepts, and back to the same entries', (name) => {
    const { entries } = parseAdif(fixture(name), { now: NOW });
    // LoTW's MODE=DATA is no ADIF mode: it travels in APP_PILEUPBUSTER_MODE, so that record has
    // no MODE, which tcadif (not ADIF) requires; it is checked apart.
    const [valid, modeless] = [entries.filter((entry) => entry.mode !== 'DATA'), entries.filter((entry) => entry.mode === 'DATA')];
    const exported = toAdif(valid, '0.1.0', new Date(NOW));
    expect(validateAdif(exported)).toHaveLength(valid.length);
    expect(parseAdif(exported, { now: NOW }).entries).toEqual(valid);
    const other = toAdif(modeless, '0.1.0', new Date(NOW));
    expect(other).not.toMatch(/<MODE:/);
    expect(parseAdif(other, { now: NOW }).entries).toEqual(modeless);
  });

  it('a file ending <EOR> then a stray <EOF> imports every QSO and says what it skipped', () => {
    const text = `${fixture('wsjtx-2.6.1-log.adi')}<EOF>\n`;
    const { entries, skipped } = parseAdif(text, { now: NOW });
    expect(entries).toHaveLength(records(text));
    expect(skipped).toEqual([{ reason: 'trailing', count: 1, first_record: null, text: '<EOF>' }]);
  });
});

describe('real ADIF files through the server', () => {
  const fx = useServer();
  let admin: TestClient;

  beforeEach(async () => {
    admin = await fx.activeOperator();
  });

  it('the logger’s own file, imported after it reported the same QSOs over WebSocket, adds none twice', async () => {
    const text = fixture('wsjtx-2017-log.adi');
    const { entries } = parseAdif(text, { now: NOW });
    // As a logger does: each QSO sent as it was logged, with its time (TIME_ON) and no reports.
    for (const entry of entries.slice(0, 6)) {
      const sent = await admin.admin('admin_send_qso', { callsign: entry.callsign, frequency: entry.frequency, mode: entry.mode, timestamp: entry.started_at });
      expect(sent.type).toBe('success');
    }
    await admin.admin('admin_complete_qso');
    const imported = await admin.admin('admin_import_adif', { adif: text });
    expect(imported.data).toMatchObject({ imported: entries.length, skipped: 0, total: entries.length });
    const log = ((await admin.admin('admin_get_log', { limit: 100 })).data as { entries: LogEntry[] }).entries;
    expect(log).toHaveLength(entries.length);
    // The two QSOs with DC5ES, 3 min 19 s apart, stay two.
    expect(log.filter((entry) => entry.callsign === 'DC5ES')).toHaveLength(2);
    // What the WebSocket report lacked (the reports), the file filled in.
    expect(log.find((entry) => entry.callsign === 'S56UVB')).toMatchObject({
      source: 'logging_software',
      rst_sent: '+05',
      rst_received: '-06',
      started_at: '2017-10-31T13:51:30.000Z',
      ended_at: '2017-10-31T13:53:36.000Z',
    });
    const again = await admin.admin('admin_import_adif', { adif: text });
    expect(again.data).toMatchObject({ total: entries.length });
  });
});
