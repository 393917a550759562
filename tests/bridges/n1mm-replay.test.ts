/**
 * A whole contest as N1MM Logger+ broadcast it (fixtures/README.md: GB2GP in the ARRL DX SSB
 * contest 2018, 1,424 real datagrams from a version without `<ID>`), replayed over loopback UDP
 * to a real server in the order they arrived. The log must end as N1MM's own log did.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogEntry } from '../../server/protocol/entities.js';
import { activeAdmin, startTestServer, type TestClient, type TestServer } from '../support/harness.js';
import { freeUdpPort, sendDatagram } from './udp-support.js';

interface Captured {
  received: string;
  datagram: string;
}

const capture: Captured[] = gunzipSync(readFileSync(new URL('fixtures/n1mm-gb2gp-arrl-dx-ssb-2018.jsonl.gz', import.meta.url)))
  .toString('utf8')
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line) as Captured);

function field(xml: string, name: string): string {
  return new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1] ?? '';
}

const asIso = (n1mmTime: string) => `${n1mmTime.replace(' ', 'T')}.000Z`;

/**
 * N1MM's log after the session, contact by contact (timestamp → call): what its broadcasts say
 * it did — a contactinfo or contactreplace leaves the contact as sent, a contactdelete removes it.
 */
function n1mmLog(): Map<string, string> {
  const log = new Map<string, string>();
  for (const { datagram } of capture) {
    const root = /<(contact\w+)>/.exec(datagram)?.[1];
    const time = asIso(field(datagram, 'timestamp'));
    if (root === 'contactdelete') log.delete(time);
    else log.set(time, field(datagram, 'call'));
  }
  return log;
}

let server: TestServer;
let admin: TestClient;
/** Virtual time for the per-sender rate limit, so the replay's pace does not depend on this machine's. */
let monotonic = 0;

async function wholeLog(): Promise<LogEntry[]> {
  const entries: LogEntry[] = [];
  for (;;) {
    const page = (await admin.admin('admin_get_log', { offset: entries.length, limit: 500 })).data as { total: number; entries: LogEntry[] };
    entries.push(...page.entries);
    if (page.entries.length === 0 || entries.length >= page.total) return entries;
  }
}

beforeAll(async () => {
  server = await startTestServer({
    bridges: { n1mm_port: await freeUdpPort(), bind_address: '127.0.0.1' },
    monotonicClock: () => (monotonic += 20),
  });
  admin = await activeAdmin(server);
  // K5WA reaches N1MM's log only through contactreplace: a correction, never a QSO being worked.
  expect((await admin.request('register_callsign', { callsign: 'K5WA' })).type).toBe('success');
  for (const { datagram } of capture) {
    const handled = await sendDatagram(server.bridges.n1mm, datagram);
    expect(handled.kind).not.toBe('ignored');
  }
  // The last delete waits for a replace that never comes, then is applied.
  await server.bridges.close();
}, 300_000);

afterAll(async () => {
  await admin.close();
  await server.dispose();
});

describe('an N1MM Logger+ contest replayed (1,424 real datagrams, no <ID>)', () => {
  it('every datagram is read', () => {
    expect(capture).toHaveLength(1424);
    expect(server.bridges.n1mm.status()).toMatchObject({ datagrams: 1424, accepted: 1424, ignored: 0, rate_limited: 0 });
  });

  it('ends with the log N1MM itself had: 956 contacts, each once, as last sent', async () => {
    const expected = n1mmLog();
    expect(expected.size).toBe(956);
    const entries = await wholeLog();
    expect(entries).toHaveLength(956);
    expect(new Map(entries.map((entry) => [entry.ended_at, entry.callsign]))).toEqual(expected);
  });

  it('the 14 contacts deleted in N1MM are gone', async () => {
    const logged = new Set((await wholeLog()).map((entry) => `${entry.callsign} ${entry.ended_at}`));
    expect(logged.has('K1KNQ 2018-03-03T12:45:13.000Z')).toBe(false);
    expect(logged.has('AC8MR 2018-03-03T17:26:43.000Z')).toBe(false);
    // …while the same stations worked again later stay.
    expect(logged.has('AC8MR 2018-03-04T03:26:32.000Z')).toBe(true);
  });

  it('contacts logged before the capture began reach the log through their edits', async () => {
    const entries = await wholeLog();
    expect(entries.find((entry) => entry.ended_at === '2018-03-03T00:02:29.000Z')).toMatchObject({
      callsign: 'K3LR',
      frequency: '7.1314',
      band: '40m',
      mode: 'LSB',
      rst_sent: '59',
      rst_received: '59',
      source: 'n1mm',
    });
  });

  it('only contactinfo works a station: edits and replaces never touch the queue or the current QSO', async () => {
    const started = admin.received.filter((message) => message.type === 'qso_update' && message.data.change_type === 'qso_started');
    expect(started).toHaveLength(capture.filter(({ datagram }) => datagram.includes('<contactinfo>')).length);
    const status = (await admin.request('get_queue_status')).data as { queue: { callsign: string }[]; current_qso: { callsign: string } | null };
    expect(status.queue.map((entry) => entry.callsign)).toEqual(['K5WA']);
    expect(status.current_qso?.callsign).toBe('AA3S');
  });
});
