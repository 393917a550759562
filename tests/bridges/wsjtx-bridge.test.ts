import { beforeEach, describe, expect, it } from 'vitest';
import { activeAdmin, startTestServer, TestClient, type TestServer } from '../support/harness.js';
import { useServer } from '../support/fixture.js';
import { freeUdpPort, QtWriter, sendDatagram, wsjtxLoggedAdif, wsjtxQsoLogged, wsjtxStatus } from './udp-support.js';

const fx = useServer(async () => ({ bridges: { wsjtx_port: await freeUdpPort(), bind_address: '127.0.0.1' } }));
let server: TestServer;
let admin: TestClient;

beforeEach(async () => {
  server = fx.server;
  admin = await fx.activeOperator();
});

const QSO = { call: 'DL1ABC', on: '2025-07-23T10:29:00.000Z', off: '2025-07-23T10:30:15.000Z', txHz: 14_075_500, mode: 'FT8', sent: '-10', received: '-12' };

/** A complete QSO Logged whose time off is Julian day 2^50: a finite number no Date can hold. */
function farFutureQsoLogged(): Buffer {
  const datagram = wsjtxQsoLogged(QSO);
  const timeOffAt = new QtWriter().header(5).build().length;
  datagram.writeBigInt64BE(2n ** 50n, timeOffAt);
  return datagram;
}

async function logEntries(): Promise<Record<string, unknown>[]> {
  return ((await admin.admin('admin_get_log', { limit: 50 })).data as { entries: Record<string, unknown>[] }).entries;
}

describe('WSJT-X / JTDX UDP bridge', () => {
  it('reads a Status datagram laid out byte for byte as NetworkMessage.hpp says', () => {
    const hex = wsjtxStatus(14_074_000, 'FT8').toString('hex');
    // magic, schema 2, type 1, id "WSJT-X", dial frequency 14074000 Hz, mode "FT8"
    expect(hex.startsWith('adbccbda00000002000000010000000657534a542d580000000000d6c09000000003465438')).toBe(true);
  });

  it('sets the frequency and mode from Status (dial frequency in Hz) and broadcasts it once', async () => {
    const seen = admin.nextBroadcast('frequency_update');
    const handled = await sendDatagram(server.bridges.wsjtx, wsjtxStatus(14_074_000, 'FT8'));
    expect(handled).toMatchObject({ kind: 'Status', summary: '14.074 MHz FT8' });
    expect((await seen).data).toEqual({ frequency: '14.074', mode: 'FT8', split: null });
    await sendDatagram(server.bridges.wsjtx, wsjtxStatus(14_074_000, 'FT8'));
    expect(admin.broadcasts('frequency_update')).toHaveLength(1);
  });

  it('logs a QSO Logged datagram with its times, frequency, mode and reports', async () => {
    await sendDatagram(server.bridges.wsjtx, wsjtxQsoLogged(QSO));
    expect(await logEntries()).toEqual([
      expect.objectContaining({
        callsign: 'DL1ABC',
        started_at: QSO.on,
        ended_at: QSO.off,
        frequency: '14.0755',
        band: '20m',
        mode: 'FT8',
        rst_sent: '-10',
        rst_received: '-12',
        source: 'wsjtx',
        country: 'Fed. Rep. of Germany',
      }),
    ]);
  });

  it('completes a waiting caller exactly as admin_send_qso would: out of the queue, current QSO, logged once', async () => {
    await admin.request('register_callsign', { callsign: 'DL1ABC' });
    await admin.request('register_callsign', { callsign: 'EA1ABC' });
    const worked = admin.nextBroadcast('queue_update', (m) => (m.data as { change_type: string }).change_type === 'user_worked');
    await sendDatagram(server.bridges.wsjtx, wsjtxQsoLogged(QSO));
    expect((await worked).data).toMatchObject({ affected_callsign: 'DL1ABC', total: 1 });
    const status = (await admin.request('get_queue_status')).data as { queue: { callsign: string }[]; current_qso: { callsign: string } };
    expect(status.queue.map((e) => e.callsign)).toEqual(['EA1ABC']);
    expect(status.current_qso).toMatchObject({ callsign: 'DL1ABC', source: 'wsjtx' });
    await admin.admin('admin_complete_qso');
    expect(await logEntries()).toHaveLength(1);
  });

  it('logs a QSO once when WSJT-X sends both QSO Logged and Logged ADIF for it', async () => {
    await sendDatagram(server.bridges.wsjtx, wsjtxQsoLogged(QSO));
    const adif =
      '<adif_ver:5>3.1.0<programid:6>WSJT-X<EOH>' +
      '<call:6>DL1ABC <gridsquare:4>JN58 <mode:3>FT8 <rst_sent:3>-10 <rst_rcvd:3>-12 <qso_date:8>20250723 <time_on:6>102900 ' +
      '<qso_date_off:8>20250723 <time_off:6>103015 <band:3>20m <freq:9>14.075500 <station_callsign:6>EI6JGB <EOR>';
    const handled = await sendDatagram(server.bridges.wsjtx, wsjtxLoggedAdif(adif));
    expect(handled.summary).toContain('already logged');
    expect(await logEntries()).toHaveLength(1);
  });

  it('logs a Logged ADIF datagram on its own (JTDX, or WSJT-X with only ADIF enabled)', async () => {
    const adif = '<EOH><call:8>KH6/K1AB <mode:3>FT4 <qso_date:8>20250723 <time_on:4>1100 <freq:6>21.140 <EOR>';
    await sendDatagram(server.bridges.wsjtx, wsjtxLoggedAdif(adif));
    expect(await logEntries()).toEqual([expect.objectContaining({ callsign: 'KH6/K1AB', mode: 'FT4', band: '15m', country: 'Hawaii' })]);
  });

  it('accepts schema 3 and fields appended by newer versions', async () => {
    const schema3 = wsjtxStatus(7_074_000, 'FT8');
    schema3.writeUInt32BE(3, 4);
    const status = Buffer.concat([schema3, new QtWriter().utf8('a field from the future').u32(42).build()]);
    await sendDatagram(server.bridges.wsjtx, status);
    expect((await admin.request('get_queue_status')).data).toMatchObject({ frequency: '7.074', mode: 'FT8' });
  });

  it.each([
    ['wrong magic', Buffer.from('deadbeef00000002000000010000000657534a542d58', 'hex')],
    ['an unknown schema', new QtWriter().header(1, 'WSJT-X', 9).u64(14_074_000).build()],
    ['a truncated Status', wsjtxStatus(14_074_000, 'FT8').subarray(0, 30)],
    ['a truncated QSO Logged', wsjtxQsoLogged(QSO).subarray(0, 40)],
    ['a string longer than the datagram', new QtWriter().header(12).u32(1_000_000).build()],
    ['an empty datagram', Buffer.alloc(0)],
    ['an invalid callsign', wsjtxQsoLogged({ ...QSO, call: 'NOT A CALL' })],
    ['a QSO Logged timed in 2999', wsjtxQsoLogged({ ...QSO, off: '2999-01-01T00:00:00.000Z' })],
    ['a QSO Logged timed before 1930', wsjtxQsoLogged({ ...QSO, on: '1929-12-31T00:00:00.000Z' })],
    ['a QSO Logged whose date is beyond any calendar', farFutureQsoLogged()],
    ['a Logged ADIF timed in 2999', wsjtxLoggedAdif('<EOH><call:6>DL1ABC <qso_date:8>29990101 <time_on:4>1100 <EOR>')],
  ])('counts and ignores %s, and the server carries on', async (_what, datagram) => {
    const handled = await sendDatagram(server.bridges.wsjtx, datagram);
    expect(handled.kind).toBe('ignored');
    expect(server.bridges.wsjtx.status()).toMatchObject({ state: 'listening', datagrams: 1, accepted: 0, ignored: 1 });
    expect(await logEntries()).toEqual([]);
    await sendDatagram(server.bridges.wsjtx, wsjtxQsoLogged(QSO));
    expect(await logEntries()).toHaveLength(1);
  });

  it('shows its state and the last datagram to the operator', async () => {
    await sendDatagram(server.bridges.wsjtx, wsjtxStatus(14_074_000, 'FT8'));
    const data = (await admin.admin('admin_get_bridges')).data as { bridges: Record<string, unknown>[] };
    expect(data.bridges[0]).toMatchObject({
      name: 'wsjtx',
      state: 'listening',
      datagrams: 1,
      accepted: 1,
      last_datagram: { kind: 'Status', summary: '14.074 MHz FT8', from: expect.stringMatching(/^127\.0\.0\.1:\d+$/) as unknown },
    });
    expect(data.bridges[1]).toMatchObject({ name: 'n1mm', state: 'off' });
  });
});

describe('bridge settings', () => {
  it('are off by default', async () => {
    const plain = await startTestServer();
    try {
      expect(plain.bridges.snapshot().bridges.map((b) => b.state)).toEqual(['off', 'off']);
    } finally {
      await plain.dispose();
    }
  });

  it('admin_set_bridges stores them, rebinds, and they survive a restart', async () => {
    const port = await freeUdpPort();
    const reply = await admin.admin('admin_set_bridges', { n1mm_port: port });
    expect(reply.data).toMatchObject({ settings: { n1mm_port: port }, bridges: [{ state: 'listening' }, { state: 'listening', port }] });
    await admin.close();
    server = await server.restart({ bridges: {} });
    admin = await activeAdmin(server);
    expect(server.bridges.n1mm.status()).toMatchObject({ state: 'listening', port });
  });

  it('shows a port that is taken as an error and keeps the server running', async () => {
    const taken = server.bridges.wsjtx.status().port;
    const reply = await admin.admin('admin_set_bridges', { n1mm_port: taken });
    expect((reply.data as { bridges: { state: string }[] }).bridges[1]).toMatchObject({ state: 'error' });
    expect((await admin.admin('admin_ping')).type).toBe('pong');
  });
});

describe('bridges_update', () => {
  it('tells operator connections of handled datagrams, and never anonymous ones', async () => {
    const anonymous = await TestClient.connect(server.url);
    try {
      const update = admin.nextBroadcast('bridges_update');
      await sendDatagram(server.bridges.wsjtx, wsjtxStatus(7_074_000, 'FT8'));
      const { data } = (await update) as { data: { bridges: { name: string; datagrams: number; last_datagram: unknown }[] } };
      expect(data.bridges.find((bridge) => bridge.name === 'wsjtx')).toMatchObject({
        datagrams: 1,
        last_datagram: expect.objectContaining({ kind: 'Status', summary: '7.074 MHz FT8' }),
      });
      // Both connections hear the public frequency_update; only the operator hears bridges_update.
      await anonymous.request('ping');
      expect(anonymous.broadcasts('frequency_update')).toHaveLength(1);
      expect(anonymous.broadcasts('bridges_update')).toEqual([]);
    } finally {
      await anonymous.close();
    }
  });

  it('coalesces a burst of datagrams into fewer updates, the last one counting them all', async () => {
    const burst = 10;
    for (let hz = 14_074_000; hz < 14_074_000 + burst; hz += 1) await sendDatagram(server.bridges.wsjtx, wsjtxStatus(hz, 'FT8'));
    const last = await admin.nextBroadcast('bridges_update', (m) => JSON.stringify(m).includes(`"datagrams":${burst}`));
    expect(last).toBeDefined();
    expect(admin.broadcasts('bridges_update').length).toBeLessThan(burst);
  });
});
