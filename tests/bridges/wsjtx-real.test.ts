/**
 * The WSJT-X bridge against what WSJT-X 2.6.1 really sends: its start-up captured from the
 * program (fixtures/README.md) replayed from one socket, and the program itself under Xvfb.
 */
import dgram from 'node:dgram';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { e2eRequired } from '../support/e2e-required.js';
import { type TestClient, type TestServer } from '../support/harness.js';
import { useServer } from '../support/fixture.js';
import { freeUdpPort } from './udp-support.js';
import { startWsjtx, stopProcessGroup, UdpTap, warnIfWsjtxMissing, wsjtxHeader, wsjtxMissing } from './wsjtx-program.js';

/** The capture: each datagram preceded by its length (u32, big-endian). */
function capturedDatagrams(file: string): Buffer[] {
  const bytes = readFileSync(new URL(`fixtures/${file}`, import.meta.url));
  const datagrams: Buffer[] = [];
  for (let at = 0; at < bytes.length; ) {
    const length = bytes.readUInt32BE(at);
    datagrams.push(bytes.subarray(at + 4, at + 4 + length));
    at += 4 + length;
  }
  return datagrams;
}

const fx = useServer(async () => ({ bridges: { wsjtx_port: await freeUdpPort(), bind_address: '127.0.0.1' } }));
let server: TestServer;
let admin: TestClient;

beforeEach(async () => {
  server = fx.server;
  admin = await fx.activeOperator();
});

describe('WSJT-X 2.6.1 start-up, captured from the program', () => {
  const startup = capturedDatagrams('wsjtx-2.6.1-startup.bin');

  it('is answered as a UDP server answers: a Heartbeat offering schema 3; start-up Status without a dial frequency is not an error', async () => {
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
    const answers: Buffer[] = [];
    socket.on('message', (datagram) => answers.push(datagram));
    try {
      for (const datagram of startup) socket.send(datagram, server.bridges.wsjtx.status().port, '127.0.0.1');
      await expect.poll(() => server.bridges.wsjtx.status().accepted + server.bridges.wsjtx.status().superseded, { timeout: 20_000 }).toBe(startup.length);
      await expect.poll(() => answers.length, { timeout: 20_000 }).toBeGreaterThan(0);
    } finally {
      socket.close();
    }
    expect(server.bridges.wsjtx.status()).toMatchObject({ datagrams: startup.length, ignored: 0 });
    const [answer] = answers as [Buffer];
    // Header: magic, schema 3 (WSJT-X offered up to 3), type 0; then its id, our maximum schema, our version.
    expect(wsjtxHeader(answer)).toEqual({ schema: 3, type: 0 });
    expect(answer.readUInt32BE(0)).toBe(0xadbccbda);
    expect(answer.subarray(12, 22).toString('latin1')).toBe('\0\0\0\x06WSJT-X');
    expect(answer.readUInt32BE(22)).toBe(3);
    expect((await admin.request('get_queue_status')).data).toMatchObject({ frequency: '14.074', mode: 'FT8' });
  });
});

describe.skipIf(wsjtxMissing && !e2eRequired)('the real WSJT-X (under Xvfb)', () => {
  warnIfWsjtxMissing();
  let home: string;
  let tap: UdpTap;

  beforeEach(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), 'pileup-wsjtx-'));
    tap = await UdpTap.open(server.bridges.wsjtx.status().port);
  });

  afterEach(async () => {
    await tap.close();
    await rm(home, { recursive: true, force: true });
  });

  it('moves up to schema 3 once its Heartbeat is answered, and takes the queue highlights', async () => {
    expect((await admin.admin('admin_set_bridges', { wsjtx_highlight: true })).type).toBe('success');
    for (const callsign of ['DL1ABC', 'EA8/G4XYZ']) expect((await admin.request('register_callsign', { callsign })).type).toBe('success');
    const wsjtx = await startWsjtx(home, tap.port);
    try {
      const heartbeat = await tap.next((tapped) => tapped.toServer && wsjtxHeader(tapped.datagram).type === 0);
      expect(wsjtxHeader(heartbeat.datagram).schema).toBe(2);
      await tap.next((tapped) => !tapped.toServer && wsjtxHeader(tapped.datagram).type === 0);
      // Everything WSJT-X sends after our answer is written in schema 3.
      const upgraded = await tap.next((tapped) => tapped.toServer && wsjtxHeader(tapped.datagram).schema === 3);
      expect([0, 1]).toContain(wsjtxHeader(upgraded.datagram).type);
      const highlights = await tap.next((tapped) => !tapped.toServer && wsjtxHeader(tapped.datagram).type === 13);
      expect(highlights.datagram.toString('latin1')).toMatch(/DL1ABC|EA8\/G4XYZ/);
      expect(wsjtx.exitCode).toBeNull();
    } finally {
      await stopProcessGroup(wsjtx);
    }
  }, 120_000);
});
