/**
 * What the bridges do with the logger beyond logging: the queue highlighted in WSJT-X (Highlight
 * Callsign, message 13), the call the logger is working (WSJT-X Status DX call, N1MM lookupinfo)
 * marked and — with "follow the logger" — made the current QSO, and WSJT-X's text in Latin-1.
 */
import dgram from 'node:dgram';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { QDataStreamReader } from '../../server/bridges/qdatastream.js';
import type { BridgesSnapshot } from '../../server/protocol/bridges.js';
import { activeAdmin, startTestServer, type TestClient, type TestServer } from '../support/harness.js';
import { freeUdpPort, QtWriter, sendDatagram, wsjtxLoggedAdif, wsjtxStatus } from './udp-support.js';

let server: TestServer;
let admin: TestClient;

beforeEach(async () => {
  server = await startTestServer({ bridges: { wsjtx_port: await freeUdpPort(), n1mm_port: await freeUdpPort(), bind_address: '127.0.0.1' } });
  admin = await activeAdmin(server);
});

afterEach(async () => {
  await admin.close();
  await server.dispose();
});

interface Highlight {
  id: string;
  callsign: string;
  /** [red, green, blue] of the background, or null for an invalid colour (clears the highlight). */
  background: [number, number, number] | null;
  foreground: [number, number, number] | null;
}

/** Message 13 as WSJT-X reads it: header, id, callsign, two QColors (spec, alpha, r, g, b, pad), highlight-last. */
function readHighlight(datagram: Buffer): Highlight | null {
  if (datagram.readUInt32BE(8) !== 13) return null;
  let at = 12;
  const text = () => {
    const length = datagram.readUInt32BE(at);
    const value = datagram.toString('utf8', at + 4, at + 4 + length);
    at += 4 + length;
    return value;
  };
  const color = (): [number, number, number] | null => {
    const spec = datagram.readInt8(at);
    const rgb: [number, number, number] = [datagram.readUInt16BE(at + 3) >> 8, datagram.readUInt16BE(at + 5) >> 8, datagram.readUInt16BE(at + 7) >> 8];
    at += 11;
    return spec === 1 ? rgb : null;
  };
  return { id: text(), callsign: text(), background: color(), foreground: color() };
}

/** A stand-in WSJT-X instance: one socket that sends its messages and collects what it is sent. */
class FakeWsjtx {
  readonly highlights: Highlight[] = [];
  private constructor(private readonly socket: dgram.Socket) {
    socket.on('message', (datagram) => {
      const highlight = readHighlight(datagram);
      if (highlight !== null) this.highlights.push(highlight);
    });
  }

  static async open(): Promise<FakeWsjtx> {
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
    return new FakeWsjtx(socket);
  }

  /** Sends one datagram and waits until the bridge handled it. */
  async send(datagram: Buffer): Promise<void> {
    const handled = new Promise((resolve) => server.bridges.wsjtx.once('handled', resolve));
    this.socket.send(datagram, server.bridges.wsjtx.status().port, '127.0.0.1');
    await handled;
  }

  /** What each call shows now: the latest highlight sent for it (null colours: cleared). */
  shown(): Record<string, 'waiting' | 'current' | 'cleared'> {
    const shown: Record<string, 'waiting' | 'current' | 'cleared'> = {};
    for (const { callsign, background } of this.highlights) {
      shown[callsign] = background === null ? 'cleared' : background[1] === 193 ? 'waiting' : 'current';
    }
    return shown;
  }

  close(): void {
    this.socket.close();
  }
}

async function register(...callsigns: string[]): Promise<void> {
  for (const callsign of callsigns) expect((await admin.request('register_callsign', { callsign })).type).toBe('success');
}

async function setBridges(fields: Record<string, unknown>): Promise<BridgesSnapshot> {
  return (await admin.admin('admin_set_bridges', fields)).data as unknown as BridgesSnapshot;
}

async function bridges(): Promise<BridgesSnapshot> {
  return (await admin.admin('admin_get_bridges')).data as unknown as BridgesSnapshot;
}

async function status() {
  return (await admin.request('get_queue_status')).data as { queue: { callsign: string }[]; current_qso: { callsign: string; source: string } | null };
}

describe('Highlight Callsign in WSJT-X', () => {
  let wsjtx: FakeWsjtx;

  beforeEach(async () => {
    wsjtx = await FakeWsjtx.open();
  });

  afterEach(() => wsjtx.close());

  it('is off by default: WSJT-X is sent nothing but the answer to its heartbeat', async () => {
    expect((await bridges()).settings).toMatchObject({ wsjtx_highlight: false, follow_logger: false });
    await wsjtx.send(wsjtxStatus(14_074_000, 'FT8'));
    await register('DL1ABC');
    await wsjtx.send(new QtWriter().header(0).u32(3).utf8('2.6.1').utf8('').build());
    expect(wsjtx.highlights).toEqual([]);
  });

  it('colours each waiting caller one colour and the current QSO another, and clears them as they leave', async () => {
    await wsjtx.send(wsjtxStatus(14_074_000, 'FT8'));
    await register('DL1ABC', 'EA8/G4XYZ', 'JA1XYZ');
    await setBridges({ wsjtx_highlight: true });
    await expect.poll(() => wsjtx.shown()).toEqual({ DL1ABC: 'waiting', 'EA8/G4XYZ': 'waiting', JA1XYZ: 'waiting' });
    expect(wsjtx.highlights[0]).toEqual({ id: 'WSJT-X', callsign: 'DL1ABC', background: [255, 193, 7], foreground: [0, 0, 0] });

    await admin.admin('admin_work_next');
    await expect.poll(() => wsjtx.shown()).toEqual({ DL1ABC: 'current', 'EA8/G4XYZ': 'waiting', JA1XYZ: 'waiting' });
    await admin.admin('admin_remove_callsign', { callsign: 'JA1XYZ' });
    await admin.admin('admin_complete_qso');
    await expect.poll(() => wsjtx.shown()).toEqual({ DL1ABC: 'cleared', 'EA8/G4XYZ': 'waiting', JA1XYZ: 'cleared' });

    await setBridges({ wsjtx_highlight: false });
    await expect.poll(() => wsjtx.shown()).toEqual({ DL1ABC: 'cleared', 'EA8/G4XYZ': 'cleared', JA1XYZ: 'cleared' });
  });

  it('tells a WSJT-X that starts later the whole queue at its first message', async () => {
    await setBridges({ wsjtx_highlight: true });
    await register('DL1ABC');
    await wsjtx.send(new QtWriter().header(0).u32(3).utf8('2.6.1').utf8('').build());
    await expect.poll(() => wsjtx.shown()).toEqual({ DL1ABC: 'waiting' });
  });
});

describe("the logger's call", () => {
  it("WSJT-X's DX call is shown on the bridge; waiting, it stays in the queue while 'follow the logger' is off", async () => {
    await register('DL1ABC', 'JA1XYZ');
    const handled = await sendDatagram(server.bridges.wsjtx, wsjtxStatus(14_074_000, 'FT8', 'JA1XYZ'));
    expect(handled.summary).toBe('14.074 MHz FT8 · working JA1XYZ (waiting in the queue)');
    expect((await bridges()).bridges.find((bridge) => bridge.name === 'wsjtx')?.working_call).toBe('JA1XYZ');
    expect((await status()).queue.map((entry) => entry.callsign)).toEqual(['DL1ABC', 'JA1XYZ']);
  });

  it("with 'follow the logger' on, a waiting call WSJT-X works becomes the current QSO (once)", async () => {
    await setBridges({ follow_logger: true });
    await register('DL1ABC', 'JA1XYZ');
    await sendDatagram(server.bridges.wsjtx, wsjtxStatus(14_074_000, 'FT8', 'JA1XYZ'));
    expect(await status()).toMatchObject({ queue: [{ callsign: 'DL1ABC' }], current_qso: { callsign: 'JA1XYZ', source: 'wsjtx' } });
    // The operator picks someone else; WSJT-X repeating the same call changes nothing.
    await admin.admin('admin_work_next');
    await sendDatagram(server.bridges.wsjtx, wsjtxStatus(14_074_000, 'FT8', 'JA1XYZ'));
    expect((await status()).current_qso?.callsign).toBe('DL1ABC');
  });

  it("N1MM's Entry Window call (lookupinfo) is followed the same way; a call nobody queued for is only shown", async () => {
    await setBridges({ follow_logger: true });
    await register('DL1ABC');
    const lookup = (call: string) => `<?xml version="1.0" encoding="utf-8"?><lookupinfo><app>N1MM</app><call>${call}</call><mode>USB</mode><StationName>SHACK</StationName></lookupinfo>`;
    expect((await sendDatagram(server.bridges.n1mm, lookup('W1AW'))).summary).toBe('working W1AW');
    expect((await status()).current_qso).toBeNull();
    await sendDatagram(server.bridges.n1mm, lookup('dl1abc'));
    expect(await status()).toMatchObject({ queue: [], current_qso: { callsign: 'DL1ABC', source: 'n1mm' } });
    await sendDatagram(server.bridges.n1mm, lookup(''));
    expect((await bridges()).bridges.find((bridge) => bridge.name === 'n1mm')?.working_call).toBeNull();
  });
});

describe("WSJT-X's ADIF text", () => {
  // As WSJT-X writes it: a Latin-1 byte for é in the comment, not valid UTF-8.
  const adif = Buffer.concat([
    Buffer.from('\n<adif_ver:5>3.1.0\n<programid:6>WSJT-X\n<EOH>\n<call:6>DL1ABC <gridsquare:4>JN58 <mode:3>FT8 <rst_sent:3>-10 <rst_rcvd:3>-12 <qso_date:8>20250723 <time_on:6>102900 <qso_date_off:8>20250723 <time_off:6>103015 <band:3>20m <freq:9>14.075500 <comment:4>', 'latin1'),
    Buffer.from([0x63, 0x61, 0x66, 0xe9]),
    Buffer.from(' <EOR>', 'latin1'),
  ]);

  it('reads a Logged ADIF in Latin-1 (not valid UTF-8) as Latin-1, and logs the QSO', async () => {
    const text = new QtWriter().u32(adif.length).build();
    expect(new QDataStreamReader(Buffer.concat([text, adif])).utf8()).toMatch(/<comment:4>café <EOR>$/);
    expect(new QDataStreamReader(new QtWriter().utf8('Zoë, 73').build()).utf8()).toBe('Zoë, 73');
    const datagram = Buffer.concat([new QtWriter().header(12).build(), text, adif]);
    expect((await sendDatagram(server.bridges.wsjtx, datagram)).summary).toBe('DL1ABC logged');
    expect(((await admin.admin('admin_get_log')).data as { entries: unknown[] }).entries).toEqual([
      expect.objectContaining({ callsign: 'DL1ABC', mode: 'FT8', band: '20m', started_at: '2025-07-23T10:29:00.000Z', source: 'wsjtx' }),
    ]);
  });

  it("logs WSJT-X's plain-ADIF 'N1MM Logger+' broadcast arriving on the N1MM port, and its Logged ADIF twin only once", async () => {
    const handled = await sendDatagram(server.bridges.n1mm, adif);
    expect(handled).toMatchObject({ kind: 'ADIF (WSJT-X N1MM broadcast)', summary: 'DL1ABC logged' });
    expect((await sendDatagram(server.bridges.wsjtx, wsjtxLoggedAdif(adif.toString('latin1')))).summary).toBe('DL1ABC (already logged)');
    expect((await status()).current_qso).toMatchObject({ callsign: 'DL1ABC', source: 'wsjtx' });
    expect(((await admin.admin('admin_get_log')).data as { total: number }).total).toBe(1);
  });
});
