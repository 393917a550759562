/**
 * One QSO, one entry: the same call on the same band and mode, started within two minutes, is
 * one QSO whoever reports it (the queue, a logger over WebSocket or a bridge, an ADIF import),
 * the later report filling in what the first lacked; a second QSO minutes later is its own.
 * The rule lives in ham/log-entry.ts (`sameQso`) and is applied by the QSO log (core/qso-log.ts)
 * to every entry, so these run on the core alone over in-memory storage.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { importAdif } from '../../server/core/log-transfer.js';
import { PileupService } from '../../server/core/pileup-service.js';
import { sameQso } from '../../server/ham/log-entry.js';
import type { LogEntry } from '../../server/protocol/entities.js';
import { MemoryStorage } from '../support/memory-storage.js';

const START = Date.parse('2025-07-23T10:00:00.000Z');
const MINUTE = 60_000;

let now: number;
let service: PileupService;

beforeEach(async () => {
  now = START;
  service = await PileupService.create({ store: new MemoryStorage(), clock: () => now });
  await service.toggleSystem(true, 'admin');
});

function adifRecord(call: string, at: number, fields: string): string {
  const iso = new Date(at).toISOString();
  const date = iso.slice(0, 10).replaceAll('-', '');
  const time = iso.slice(11, 19).replaceAll(':', '');
  return `<CALL:${call.length}>${call}<QSO_DATE:8>${date}<TIME_ON:6>${time}${fields}<EOR>\n`;
}

function entries(): LogEntry[] {
  return service.log.page(0, 100);
}

function entry(fields: Partial<LogEntry>): LogEntry {
  const at = new Date(START).toISOString();
  return { qso_id: 'a', callsign: 'DL1ABC', started_at: at, ended_at: at, source: 'queue', ...fields };
}

describe('sameQso', () => {
  it('is the same call, band and mode family with start times at most two minutes apart', () => {
    const first = entry({ frequency: '14.074', band: '20m', mode: 'USB' });
    expect(sameQso(first, entry({ qso_id: 'b', band: '20m', mode: 'SSB', started_at: new Date(START + 2 * MINUTE).toISOString() }))).toBe(true);
    expect(sameQso(first, entry({ qso_id: 'b', band: '20m', mode: 'SSB', started_at: new Date(START + 2 * MINUTE + 1000).toISOString() }))).toBe(false);
    expect(sameQso(first, entry({ qso_id: 'b', band: '40m', mode: 'USB' }))).toBe(false);
    expect(sameQso(first, entry({ qso_id: 'b', band: '20m', mode: 'CW' }))).toBe(false);
    expect(sameQso(first, entry({ qso_id: 'b', callsign: 'DL1ABD', band: '20m', mode: 'USB' }))).toBe(false);
  });

  it('does not tell two reports apart by a band or mode one of them lacks', () => {
    expect(sameQso(entry({ frequency: '14.074', mode: 'FT8' }), entry({ qso_id: 'b' }))).toBe(true);
  });
});

describe('one QSO, one entry', () => {
  it('an import of the logger’s file after its bridge logged the QSO merges into that entry, filling what it lacked', async () => {
    now = START + 30_000;
    await service.sendQso('DL1ABC', { frequency: '14.074', mode: 'FT8', started_at: new Date(START).toISOString() }, { source: 'wsjtx' });
    now = START + 10 * MINUTE;
    const file = `<EOH>\n${adifRecord('DL1ABC', START + 15_000, '<BAND:3>20m<MODE:3>FT8<RST_SENT:3>-10<RST_RCVD:3>-12')}`;
    expect(await importAdif(service, file, now)).toMatchObject({ imported: 1, repeated: 0, skipped: 0, total: 1 });
    expect(entries()).toMatchObject([{ callsign: 'DL1ABC', source: 'wsjtx', frequency: '14.074', rst_sent: '-10', rst_received: '-12' }]);
  });

  it('a QSO worked from the queue and then reported by the logger is one entry', async () => {
    await service.setFrequency('7.150', 'LSB');
    await service.register('EA1ABC');
    await service.workNext();
    now += 90_000;
    await service.completeQso();
    // The logger logged it too, with its own id and its own start time a minute later.
    await service.putLogged([entry({ qso_id: 'logger-1', callsign: 'EA1ABC', started_at: new Date(START + MINUTE).toISOString(), mode: 'SSB', rst_sent: '59' })]);
    expect(entries()).toMatchObject([{ callsign: 'EA1ABC', source: 'queue', frequency: '7.150', mode: 'LSB', rst_sent: '59' }]);
    expect(service.log.get('logger-1')?.source).toBe('queue');
  });

  it('a deliberate second QSO minutes later stays a QSO of its own, from any source', async () => {
    await service.sendQso('DL1ABC', { frequency: '14.074', mode: 'FT8' });
    now += 5 * MINUTE;
    await service.sendQso('DL1ABC', { frequency: '14.074', mode: 'FT8' });
    now += 5 * MINUTE;
    const file = `<EOH>\n${adifRecord('DL1ABC', START, '<FREQ:6>14.074<MODE:3>FT8')}${adifRecord('DL1ABC', START + 5 * MINUTE, '<FREQ:6>14.074<MODE:3>FT8')}${adifRecord('DL1ABC', START + 20 * MINUTE, '<FREQ:6>14.074<MODE:3>FT8')}`;
    expect(await importAdif(service, file, now + 20 * MINUTE)).toMatchObject({ imported: 3, repeated: 0, total: 3 });
    expect(entries().map((logged) => logged.started_at)).toEqual(
      [START + 20 * MINUTE, START + 5 * MINUTE, START].map((at) => new Date(at).toISOString()),
    );
  });

  it('counts identical records inside one file once, and a QSO reported twice in one file once', async () => {
    const record = adifRecord('DL1ABC', START, '<FREQ:6>14.074<MODE:3>FT8');
    const again = adifRecord('DL1ABC', START + 30_000, '<BAND:3>20m<MODE:4>MFSK<SUBMODE:3>FT4');
    const twin = adifRecord('DL1ABC', START + 45_000, '<BAND:3>20m<MODE:4>MFSK<SUBMODE:3>FT4<RST_SENT:3>-05');
    expect(await importAdif(service, `<EOH>${record}${record}${again}${twin}`, now)).toMatchObject({ imported: 2, repeated: 2, total: 2 });
    expect(entries()).toMatchObject([{ mode: 'FT4', rst_sent: '-05' }, { mode: 'FT8', frequency: '14.074' }]);
  });

  it('skips a broken record as often as it occurs, and counts a repeated good one once', async () => {
    const good = adifRecord('DL1ABC', START, '<FREQ:6>14.074<MODE:3>FT8');
    const bad = '<CALL:3>ABC<QSO_DATE:8>20250723<TIME_ON:4>1000<EOR>\n';
    expect(await importAdif(service, `<EOH>${good}${bad}${good}${bad}`, now)).toMatchObject({
      imported: 1,
      repeated: 1,
      skipped: 2,
      skipped_reasons: [{ count: 2, first_record: 2 }],
    });
  });

  it('a logger’s correction of a QSO that was merged reaches the merged entry by the logger’s id', async () => {
    await service.putLogged([entry({ qso_id: 'bridge-1', mode: 'CW', frequency: '7.010' })]);
    await service.putLogged([entry({ qso_id: 'n1mm-1', mode: 'CW', band: '40m', started_at: new Date(START + 20_000).toISOString() })]);
    await service.putLogged([entry({ qso_id: 'n1mm-1', mode: 'CW', frequency: '7.012', rst_sent: '579' })]);
    expect(entries()).toMatchObject([{ qso_id: 'bridge-1', source: 'queue', frequency: '7.012', rst_sent: '579' }]);
    await service.deleteLogged(['n1mm-1']);
    expect(entries()).toEqual([]);
  });
});
