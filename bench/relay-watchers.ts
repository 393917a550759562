/**
 * A load process for `npm run bench:relay`: holds many watchers — NATS connections following a
 * station's events (as the public page does), or WebSocket connections to the station itself —
 * and reports, per change, when each of its watchers had it. Driven over the IPC channel.
 */
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { WebSocket } from 'ws';
import { relayNames } from '../server/protocol/relay.js';

export type WatcherKind = 'nats' | 'ws';

export type ParentMessage =
  | { cmd: 'connect'; kind: WatcherKind; url: string; station: string; count: number }
  | { cmd: 'expect'; key: string }
  | { cmd: 'bytes' }
  | { cmd: 'close' };

export type ChildMessage =
  | { ready: number }
  | { armed: string }
  | { done: string; times: number[] }
  | { bytes: number }
  | { failed: string };

/** Connections opened at once per load process; more make this 2-core machine miss nats-server's 2 s login timeout. */
const CONCURRENCY = 20;
const ATTEMPTS = 3;
const epochMs = () => performance.timeOrigin + performance.now();

const send = (message: ChildMessage) => process.send?.(message);

/** The change a frame is about: the split it sets (the bench changes the split each round). */
function keyOf(text: string): string | null {
  const message = JSON.parse(text) as { type?: string; data?: { split?: string | null } };
  return message.type === 'frequency_update' ? (message.data?.split ?? null) : null;
}

let expected: string | null = null;
let times: number[] = [];
let total = 0;
const connections: NatsConnection[] = [];
const sockets: WebSocket[] = [];

function received(text: string): void {
  const at = epochMs();
  if (keyOf(text) !== expected) return;
  times.push(at);
  if (times.length === total && expected !== null) {
    send({ done: expected, times });
    expected = null;
  }
}

async function connectNats(url: string): Promise<NatsConnection> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await connect({ servers: url, maxReconnectAttempts: -1, pingInterval: 120_000 });
    } catch (error) {
      if (attempt >= ATTEMPTS) throw error;
    }
  }
}

async function open(kind: WatcherKind, url: string, station: string, count: number): Promise<void> {
  total = count;
  const subject = relayNames(station).events;
  const decoder = new TextDecoder();
  let next = 0;
  const one = async () => {
    while (next < count) {
      next += 1;
      if (kind === 'nats') {
        const nc = await connectNats(url);
        nc.subscribe(subject, { callback: (_error, msg) => received(decoder.decode(msg.data)) });
        await nc.flush();
        connections.push(nc);
      } else {
        const ws = new WebSocket(url);
        await new Promise<void>((resolve, reject) => {
          ws.once('open', () => resolve());
          ws.once('error', reject);
        });
        ws.on('message', (data) => received(data.toString()));
        sockets.push(ws);
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, one));
}

/** Bytes the station has sent to this process's WebSocket watchers (what its uplink carried). */
function bytesRead(): number {
  return sockets.reduce((sum, ws) => sum + ((ws as unknown as { _socket?: { bytesRead: number } })._socket?.bytesRead ?? 0), 0);
}

process.on('message', (message: ParentMessage) => {
  switch (message.cmd) {
    case 'connect':
      open(message.kind, message.url, message.station, message.count).then(
        () => send({ ready: connections.length + sockets.length }),
        (error: unknown) => send({ failed: String(error) }),
      );
      return;
    case 'expect':
      expected = message.key;
      times = [];
      send({ armed: message.key });
      return;
    case 'bytes':
      send({ bytes: bytesRead() });
      return;
    case 'close':
      void Promise.all(connections.map((nc) => nc.close())).finally(() => {
        for (const ws of sockets) ws.terminate();
        process.exit(0);
      });
  }
});
