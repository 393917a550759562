import http from 'node:http';
import { beforeEach, describe, expect, it } from 'vitest';
import { parseAdif, toAdif } from '../../server/ham/adif.js';
import type { LogEntry } from '../../server/protocol/entities.js';
import { type TestClient, type TestServer } from '../support/harness.js';
import { useServer } from '../support/fixture.js';

const fx = useServer();
let server: TestServer;
let admin: TestClient;

beforeEach(async () => {
  server = fx.server;
  admin = await fx.activeOperator();
});

function entry(index: number): LogEntry {
  const started = Date.UTC(2025, 6, 23, 10, 0, 0) + index * 60_000;
  return {
    qso_id: `q${index.toString().padStart(7, '0')}`,
    callsign: ['DL1ABC', 'EA8/DL1ABC', 'W1AW/P', 'JA1XYZ'][index % 4] as string,
    started_at: new Date(started).toISOString(),
    ended_at: new Date(started + 30_000).toISOString(),
    source: 'queue',
    frequency: '14.205',
    mode: ['USB', 'CW', 'FT8', 'FT4'][index % 4] as string,
    rst_sent: '59',
    rst_received: '57',
    band: '20m',
  };
}

interface HttpResult {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function httpRequest(method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: server.address.port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('ADIF export and import', () => {
  it('round-trips log entries through an ADIF 3.1 document', () => {
    const entries = Array.from({ length: 8 }, (_, i) => entry(i));
    const text = toAdif(entries, '0.1.0', new Date('2025-07-23T12:00:00Z'));
    expect(text).toMatch(/<ADIF_VER:5>3\.1\.7/);
    expect(text).toContain('<MODE:3>SSB\n<SUBMODE:3>USB');
    const { entries: back, skipped } = parseAdif(text, { now: Date.now() });
    expect(skipped).toEqual([]);
    expect(back).toEqual(entries.map((e) => expect.objectContaining(e) as unknown));
  });

  it('skips records without a usable callsign, date or time, saying which and why', () => {
    const text = '<EOH><call:6>DL1ABC<qso_date:8>20250723<time_on:4>1000<eor><call:3>ABC<qso_date:8>20250723<time_on:4>1000<eor><call:4>W1AW<eor>';
    expect(parseAdif(text, { now: Date.now() })).toMatchObject({
      entries: [{ callsign: 'DL1ABC', started_at: '2025-07-23T10:00:00.000Z' }],
      skipped: [
        { reason: 'callsign', count: 1, first_record: 2 },
        { reason: 'time', count: 1, first_record: 3 },
      ],
    });
  });

  it('admin_import_adif seeds the log, and importing the same file again does not duplicate it', async () => {
    const text = toAdif([entry(0), entry(1)], '0.1.0', new Date());
    const first = await admin.admin('admin_import_adif', { adif: text });
    expect(first.data).toEqual({ imported: 2, repeated: 0, skipped: 0, skipped_reasons: [], total: 2 });
    const again = await admin.admin('admin_import_adif', { adif: text });
    expect(again.data).toEqual({ imported: 2, repeated: 0, skipped: 0, skipped_reasons: [], total: 2 });
    const log = (await admin.admin('admin_get_log')).data as { entries: LogEntry[] };
    expect(log.entries.map((e) => e.callsign)).toEqual(['EA8/DL1ABC', 'DL1ABC']);
    expect(log.entries[0]).toMatchObject({ country: 'Canary Islands', continent: 'AF', cq_zone: 33 });
  });

  it('admin_export_adif returns the log as an .adi document that re-imports to the same records', async () => {
    await admin.admin('admin_import_adif', { adif: toAdif([entry(0), entry(1), entry(2)], '0.1.0', new Date()) });
    const exported = (await admin.admin('admin_export_adif')).data as { file_name: string; count: number; adif: string };
    expect(exported.file_name).toMatch(/^pileup-log-\d{8}-\d{6}\.adi$/);
    expect(exported.count).toBe(3);
    const log = ((await admin.admin('admin_get_log')).data as { entries: LogEntry[] }).entries;
    // The log page adds where each station is (derived, never stored or exported).
    const stored = log.map(({ lat: _lat, lon: _lon, bearing: _bearing, distance_km: _distance, ...entry }: LogEntry & Record<string, unknown>) => entry);
    expect(parseAdif(exported.adif, { now: Date.now() }).entries).toEqual([...stored].reverse());
  });

  it('logs every completed QSO with band, mode, times and country', async () => {
    await admin.admin('admin_set_frequency', { frequency: '7.074', mode: 'FT8' });
    await admin.request('register_callsign', { callsign: 'KH6/K1ABC' });
    await admin.admin('admin_work_next');
    await admin.admin('admin_complete_qso');
    const [logged] = ((await admin.admin('admin_get_log')).data as { entries: LogEntry[] }).entries;
    expect(logged).toMatchObject({ callsign: 'KH6/K1ABC', frequency: '7.074', band: '40m', mode: 'FT8', source: 'queue', country: 'Hawaii' });
  });

  it('marks a waiting caller already worked on the same band and mode as a dupe', async () => {
    await admin.admin('admin_set_frequency', { frequency: '14.200', mode: 'SSB' });
    await admin.admin('admin_send_qso', { callsign: 'DL1ABC', frequency: '14.250', mode: 'USB' });
    await admin.admin('admin_complete_qso');
    await admin.request('register_callsign', { callsign: 'DL1ABC' });
    await admin.request('register_callsign', { callsign: 'EA1ABC' });
    const queue = ((await admin.request('get_queue_status')).data as { queue: Record<string, unknown>[] }).queue;
    expect(queue.map((e) => [e.callsign, e.dupe])).toEqual([
      ['DL1ABC', true],
      ['EA1ABC', undefined],
    ]);
    await admin.admin('admin_set_frequency', { frequency: '14.200', mode: 'CW' });
    const onCw = ((await admin.request('get_queue_status')).data as { queue: Record<string, unknown>[] }).queue;
    expect(onCw[0]?.dupe).toBeUndefined();
  });
});

describe('GET /api/log.adi', () => {
  it('answers 401 without a valid bearer token', async () => {
    expect((await httpRequest('GET', '/api/log.adi')).status).toBe(401);
    expect((await httpRequest('GET', '/api/log.adi', { authorization: 'Bearer nope' })).status).toBe(401);
    expect((await httpRequest('GET', '/api/log.adi', { authorization: `Basic ${admin.token ?? ''}` })).status).toBe(401);
  });

  it('never accepts the token in the URL', async () => {
    const result = await httpRequest('GET', `/api/log.adi?session_token=${admin.token ?? ''}`);
    expect(result.status).toBeGreaterThanOrEqual(400);
    expect(result.body).not.toContain('<EOR>');
  });

  it('exports the log as an attachment with the bearer token, and POST imports one', async () => {
    const auth = { authorization: `Bearer ${admin.token ?? ''}` };
    const posted = await httpRequest('POST', '/api/log.adi', auth, toAdif([entry(0), entry(1)], '0.1.0', new Date()));
    expect(posted.status).toBe(200);
    expect(JSON.parse(posted.body)).toEqual({ imported: 2, repeated: 0, skipped: 0, skipped_reasons: [], total: 2 });
    const result = await httpRequest('GET', '/api/log.adi', auth);
    expect(result.status).toBe(200);
    expect(result.headers['content-disposition']).toMatch(/attachment; filename="pileup-log-\d{8}-\d{6}\.adi"/);
    expect(parseAdif(result.body, { now: Date.now() }).entries.map((e) => e.callsign)).toEqual(['DL1ABC', 'EA8/DL1ABC']);
  });
});
