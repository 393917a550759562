/**
 * Test helpers for the UDP bridges: a free port, a QDataStream writer that builds WSJT-X
 * datagrams field by field as NetworkMessage.hpp lays them out, and a sender that waits until the
 * server has handled the datagram.
 */
import dgram from 'node:dgram';
import type { UdpListener } from '../../server/bridges/udp-listener.js';
import type { LastDatagram } from '../../server/protocol/bridges.js';

export async function freeUdpPort(): Promise<number> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

/** Sends one datagram to the listener over loopback and resolves once the server handled it. */
export async function sendDatagram(listener: UdpListener, datagram: Buffer | string): Promise<LastDatagram> {
  const handled = new Promise<LastDatagram>((resolve) => listener.once('handled', resolve));
  const socket = dgram.createSocket('udp4');
  try {
    await new Promise<void>((resolve, reject) =>
      socket.send(Buffer.from(datagram), listener.status().port, '127.0.0.1', (error) => (error ? reject(error) : resolve())),
    );
  } finally {
    socket.close();
  }
  return handled;
}

/** Sends datagrams back to back from one socket, as a logger does, and resolves once the server handled them all. */
export async function sendDatagrams(listener: UdpListener, datagrams: (Buffer | string)[]): Promise<LastDatagram[]> {
  const seen: LastDatagram[] = [];
  const handled = new Promise<LastDatagram[]>((resolve) => {
    const onHandled = (last: LastDatagram) => {
      seen.push(last);
      if (seen.length < datagrams.length) return;
      listener.off('handled', onHandled);
      resolve(seen);
    };
    listener.on('handled', onHandled);
  });
  const socket = dgram.createSocket('udp4');
  try {
    for (const datagram of datagrams) {
      await new Promise<void>((resolve, reject) =>
        socket.send(Buffer.from(datagram), listener.status().port, '127.0.0.1', (error) => (error ? reject(error) : resolve())),
      );
    }
  } finally {
    socket.close();
  }
  return handled;
}

/** Qt's QDataStream, big-endian, as WSJT-X writes it. */
export class QtWriter {
  private readonly parts: Buffer[] = [];

  u8(value: number): this {
    const b = Buffer.alloc(1);
    b.writeUInt8(value);
    this.parts.push(b);
    return this;
  }

  bool(value: boolean): this {
    return this.u8(value ? 1 : 0);
  }

  u32(value: number): this {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(value);
    this.parts.push(b);
    return this;
  }

  i32(value: number): this {
    const b = Buffer.alloc(4);
    b.writeInt32BE(value);
    this.parts.push(b);
    return this;
  }

  u64(value: number | bigint): this {
    const b = Buffer.alloc(8);
    b.writeBigUInt64BE(BigInt(value));
    this.parts.push(b);
    return this;
  }

  i64(value: number | bigint): this {
    const b = Buffer.alloc(8);
    b.writeBigInt64BE(BigInt(value));
    this.parts.push(b);
    return this;
  }

  /** QByteArray of UTF-8; null is 0xFFFFFFFF. */
  utf8(value: string | null): this {
    if (value === null) return this.u32(0xffffffff);
    const bytes = Buffer.from(value, 'utf8');
    this.u32(bytes.length);
    this.parts.push(bytes);
    return this;
  }

  /** QDateTime in UTC: Julian day, ms since midnight, timespec 1 (UTC). */
  dateTimeUtc(iso: string): this {
    const ms = Date.parse(iso);
    const day = Math.floor(ms / 86_400_000);
    return this.i64(day + 2_440_588).u32(ms - day * 86_400_000).u8(1);
  }

  header(type: number, id = 'WSJT-X', schema = 2): this {
    return this.u32(0xadbccbda).u32(schema).u32(type).utf8(id);
  }

  build(): Buffer {
    return Buffer.concat(this.parts);
  }
}

/** Status (type 1), every field of schema 2 in order. */
export function wsjtxStatus(dialHz: number, mode: string, dxCall = ''): Buffer {
  return new QtWriter()
    .header(1)
    .u64(dialHz)
    .utf8(mode)
    .utf8(dxCall)
    .utf8('-10') // report
    .utf8(mode) // Tx mode
    .bool(false) // Tx enabled
    .bool(false) // transmitting
    .bool(true) // decoding
    .u32(1500) // Rx DF
    .u32(1500) // Tx DF
    .utf8('EI6JGB') // DE call
    .utf8('IO63') // DE grid
    .utf8('') // DX grid
    .bool(false) // Tx watchdog
    .utf8(null) // sub-mode
    .bool(false) // fast mode
    .u8(0) // special operation mode
    .u32(0) // frequency tolerance
    .u32(15) // T/R period
    .utf8('Default') // configuration name
    .utf8('') // Tx message
    .build();
}

export interface LoggedQsoFixture {
  call: string;
  on: string;
  off: string;
  txHz: number;
  mode: string;
  sent: string;
  received: string;
}

/** QSO Logged (type 5), every field in order. */
export function wsjtxQsoLogged(qso: LoggedQsoFixture): Buffer {
  return new QtWriter()
    .header(5)
    .dateTimeUtc(qso.off)
    .utf8(qso.call)
    .utf8('JN58') // DX grid
    .u64(qso.txHz)
    .utf8(qso.mode)
    .utf8(qso.sent)
    .utf8(qso.received)
    .utf8('100') // Tx power
    .utf8('') // comments
    .utf8('') // name
    .dateTimeUtc(qso.on)
    .utf8('') // operator call
    .utf8('EI6JGB') // my call
    .utf8('IO63') // my grid
    .utf8('') // exchange sent
    .utf8('') // exchange received
    .utf8('') // ADIF propagation mode
    .build();
}

/** Logged ADIF (type 12): one QSO record as WSJT-X writes it. */
export function wsjtxLoggedAdif(adif: string): Buffer {
  return new QtWriter().header(12).utf8(adif).build();
}
