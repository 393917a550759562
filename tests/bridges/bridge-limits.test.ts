/**
 * The UDP bridges are not an open door: they bind the server's own address by default, read only
 * allowed senders, cap what one datagram and one sender may cost, keep a bounded queue in which a
 * newer Status replaces an older one, and a Status that repeats the station's frequency and mode
 * writes nothing.
 */
import dgram from 'node:dgram';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { senderAllowList } from '../../server/bridges/sender-allow-list.js';
import { type DatagramJob, UdpListener } from '../../server/bridges/udp-listener.js';
import { BRIDGE_LIMITS } from '../../server/protocol/bridges.js';
import { MAX_SUMMARY_CHARS } from '../../server/protocol/summary.js';
import { activeAdmin, startTestServer, type TestClient, type TestServer } from '../support/harness.js';
import { freeUdpPort, QtWriter, sendDatagram, wsjtxLoggedAdif, wsjtxStatus } from './udp-support.js';

/** Resolves once `listener` has disposed of `count` more datagrams (applied, ignored or dropped). */
function dispositions(listener: UdpListener, count: number): Promise<void> {
  return new Promise((resolve) => {
    let seen = 0;
    const onOne = () => {
      seen += 1;
      if (seen < count) return;
      listener.off('handled', onOne);
      listener.off('dropped', onOne);
      resolve();
    };
    listener.on('handled', onOne);
    listener.on('dropped', onOne);
  });
}

/** Sends datagrams from one socket, `batch` at a time, each batch disposed of before the next, so the kernel drops none. */
async function sendAll(listener: UdpListener, datagrams: Buffer[], batch = 20): Promise<void> {
  const socket = dgram.createSocket('udp4');
  try {
    for (let at = 0; at < datagrams.length; at += batch) {
      const chunk = datagrams.slice(at, at + batch);
      const done = dispositions(listener, chunk.length);
      for (const datagram of chunk) socket.send(datagram, listener.status().port, '127.0.0.1');
      await done;
    }
  } finally {
    socket.close();
  }
}

describe('where the bridges listen', () => {
  let server: TestServer | undefined;

  afterEach(async () => {
    await server?.dispose();
    server = undefined;
  });

  it('bind the server’s own address by default: a server on 127.0.0.1 has loopback bridges', async () => {
    server = await startTestServer({ host: '127.0.0.1', bridges: { wsjtx_port: await freeUdpPort() } });
    expect(server.bridges.snapshot().settings).toMatchObject({ bind_address: null, allowed_senders: [] });
    expect(server.bridges.wsjtx.status()).toMatchObject({ state: 'listening', address: '127.0.0.1' });
  });

  it('take BRIDGE_ALLOW from the environment, and refuse an allow-list entry that is not an address or network', async () => {
    server = await startTestServer({ env: { ADMIN_PASSWORD: 'test-password-123', BRIDGE_ALLOW: '192.168.1.0/24, 2001:db8::/32' } });
    expect(server.bridges.snapshot().settings.allowed_senders).toEqual(['192.168.1.0/24', '2001:db8::/32']);
    const admin = await activeAdmin(server);
    try {
      for (const bad of ['192.168.1.0/33', 'example.org', '10.0.0.1/8/1']) {
        const reply = await admin.adminRaw('admin_set_bridges', { allowed_senders: [bad] });
        expect(reply).toMatchObject({ type: 'error', error_code: 'INVALID_REQUEST' });
      }
      expect(server.bridges.snapshot().settings.allowed_senders).toEqual(['192.168.1.0/24', '2001:db8::/32']);
      const saved = await admin.admin('admin_set_bridges', { allowed_senders: ['192.168.1.7'] });
      expect(saved).toMatchObject({ type: 'success', data: { settings: { allowed_senders: ['192.168.1.7'] } } });
    } finally {
      await admin.close();
    }
  });
});

describe('the allow-list', () => {
  it('admits listed addresses and networks, IPv4 senders of a dual-stack socket, and this machine always', () => {
    const allowed = senderAllowList(['192.168.1.0/24', '10.0.0.7', '2001:db8::/32']);
    for (const address of ['192.168.1.20', '::ffff:192.168.1.20', '10.0.0.7', '2001:db8:5::1', '127.0.0.1', '::1']) expect(allowed(address)).toBe(true);
    for (const address of ['192.168.2.20', '10.0.0.8', '2001:db9::1', 'fe80::1']) expect(allowed(address)).toBe(false);
  });

  it('admits everyone when it is empty', () => {
    expect(senderAllowList([])('203.0.113.9')).toBe(true);
  });
});

describe('a listener under load', () => {
  let listener: UdpListener | undefined;

  afterEach(async () => {
    await listener?.stop();
    listener = undefined;
  });

  /** A listener whose jobs are `s<n>` (a state report: coalesced) or `q<n>` (a QSO); the first job waits for `release`. */
  async function gatedListener(): Promise<{ applied: string[]; release: () => void; listener: UdpListener }> {
    const applied: string[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let first = true;
    const decode = (datagram: Buffer): DatagramJob => {
      const text = datagram.toString();
      const wait = first ? gate : Promise.resolve();
      first = false;
      return {
        ...(text.startsWith('s') && { coalesce: 'status' }),
        run: async () => {
          await wait;
          applied.push(text);
          return { kind: 'test', summary: text };
        },
      };
    };
    // The monotonic clock stands still: every datagram falls in one second of the sender's allowance.
    const created = new UdpListener('wsjtx', decode, () => Date.now(), () => 0);
    await created.listen({ port: await freeUdpPort(), address: '127.0.0.1' });
    listener = created;
    return { applied, release, listener: created };
  }

  it('applies only the latest of the Status reports that waited, in arrival order with the QSOs', async () => {
    const { applied, release, listener: udp } = await gatedListener();
    const names = ['s1', 's2', 'q1', 's3', 's4', 'q2', 's5'];
    const superseded = dispositions(udp, 3);
    const socket = dgram.createSocket('udp4');
    for (const name of names) socket.send(name, udp.status().port, '127.0.0.1');
    await superseded;
    const rest = dispositions(udp, 4);
    release();
    await rest;
    socket.close();
    expect(applied).toEqual(['s1', 'q1', 'q2', 's5']);
    expect(udp.status()).toMatchObject({ datagrams: 7, accepted: 4, superseded: 3, rate_limited: 0 });
  });

  it(`keeps at most ${BRIDGE_LIMITS.maxQueued} datagrams waiting and drops (and counts) the rest`, async () => {
    const { applied, release, listener: udp } = await gatedListener();
    const total = BRIDGE_LIMITS.maxQueued + 40;
    const extra = total - 1 - BRIDGE_LIMITS.maxQueued;
    const dropped = dispositions(udp, extra);
    const socket = dgram.createSocket('udp4');
    for (let n = 0; n < total; n += 1) socket.send(`q${n}`, udp.status().port, '127.0.0.1');
    await dropped;
    const rest = dispositions(udp, total - extra);
    release();
    await rest;
    socket.close();
    expect(applied).toHaveLength(BRIDGE_LIMITS.maxQueued + 1);
    expect(udp.status()).toMatchObject({ datagrams: total, accepted: BRIDGE_LIMITS.maxQueued + 1, rate_limited: extra });
  });

  it(`reads at most ${BRIDGE_LIMITS.maxDatagramsPerSecond} datagrams a second from one sender and counts the rest`, async () => {
    const { release, listener: udp } = await gatedListener();
    release();
    const total = BRIDGE_LIMITS.maxDatagramsPerSecond + 60;
    await sendAll(
      udp,
      Array.from({ length: total }, (_, n) => Buffer.from(`q${n}`)),
    );
    expect(udp.status()).toMatchObject({ datagrams: total, accepted: BRIDGE_LIMITS.maxDatagramsPerSecond, rate_limited: 60 });
  });

  it('drops a sender outside the allow-list unread', async () => {
    const { release, listener: udp } = await gatedListener();
    release();
    udp.allow(() => false);
    await sendAll(udp, [Buffer.from('q1'), Buffer.from('s1')]);
    expect(udp.status()).toMatchObject({ datagrams: 2, accepted: 0, not_allowed: 2, last_datagram: null });
  });
});

describe('WSJT-X and N1MM state reports', () => {
  let server: TestServer;
  let admin: TestClient;

  afterEach(async () => {
    vi.restoreAllMocks();
    await admin.close();
    await server.dispose();
  });

  async function start(): Promise<void> {
    server = await startTestServer({ bridges: { wsjtx_port: await freeUdpPort(), n1mm_port: await freeUdpPort() } });
    admin = await activeAdmin(server);
  }

  it('write nothing when they repeat the station’s frequency and mode, however the frequency is written', async () => {
    await start();
    expect(await admin.admin('admin_set_frequency', { frequency: '14.0740', mode: 'FT8' })).toMatchObject({ type: 'success' });
    const writes = vi.spyOn(server.store, 'commit');
    const broadcasts = admin.broadcasts('frequency_update').length;
    await sendDatagram(server.bridges.wsjtx, wsjtxStatus(14_074_000, 'FT8'));
    await sendDatagram(server.bridges.wsjtx, wsjtxStatus(14_074_000, 'ft8'));
    expect(writes).not.toHaveBeenCalled();
    expect(await admin.admin('admin_set_frequency', { frequency: '7.03500', mode: 'CW' })).toMatchObject({ type: 'success' });
    writes.mockClear();
    await sendDatagram(server.bridges.n1mm, '<RadioInfo><Freq>703500</Freq><Mode>CW</Mode></RadioInfo>');
    expect(writes).not.toHaveBeenCalled();
    expect(admin.broadcasts('frequency_update')).toHaveLength(broadcasts + 1);
  });

  it('logs the first QSO of a Logged ADIF datagram and counts the others as dropped (WSJT-X sends one)', async () => {
    await start();
    const record = (call: string, time: string) => `<call:${call.length}>${call} <mode:3>FT8 <qso_date:8>20250723 <time_on:4>${time} <freq:6>14.074 <EOR>`;
    const handled = await sendDatagram(server.bridges.wsjtx, wsjtxLoggedAdif(`<EOH>${record('DL1ABC', '1000')}${record('EA1ABC', '1001')}${record('G0ABC', '1002')}`));
    expect(handled).toMatchObject({ kind: 'Logged ADIF', summary: 'DL1ABC logged (2 more QSOs in the datagram dropped)' });
    const log = (await admin.admin('admin_get_log')).data as { entries: { callsign: string }[] };
    expect(log.entries.map((entry) => entry.callsign)).toEqual(['DL1ABC']);
    expect(server.bridges.wsjtx.status()).toMatchObject({ accepted: 1, extra_qsos: 2 });
  });

  it('cap what the console shows of a datagram: kind and summary', async () => {
    await start();
    const wsjtx = await sendDatagram(server.bridges.wsjtx, new QtWriter().header(2, 'W'.repeat(10_000)).build());
    expect(wsjtx.summary).toHaveLength(MAX_SUMMARY_CHARS);
    const n1mm = await sendDatagram(server.bridges.n1mm, `<${'a'.repeat(5000)}></${'a'.repeat(5000)}>`);
    expect(n1mm.kind).toHaveLength(MAX_SUMMARY_CHARS);
  });

  it('ignore a datagram over the size limit without decoding it', async () => {
    await start();
    const handled = await sendDatagram(server.bridges.wsjtx, wsjtxLoggedAdif(`<EOH>${'x'.repeat(BRIDGE_LIMITS.maxDatagramBytes)}`));
    expect(handled).toMatchObject({ kind: 'ignored', summary: expect.stringContaining('too large') as unknown });
  });
});
