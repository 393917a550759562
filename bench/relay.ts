/**
 * `npm run bench:relay`: the public relay's fan-out on this machine, all on loopback.
 * - A real nats-server (Debian's) with the shipped permissions (deploy/relay/pileup-accounts.conf,
 *   its example station), a real station (the embedded server, in this process) connected to it.
 * - Watchers in load processes (bench/relay-watchers.ts): first 1, then 10,000 NATS connections
 *   following the station's events; then 1,000 WebSocket connections to the station directly.
 * - Each round the station changes its split (`admin_set_split`, a `frequency_update`); a round's
 *   latency is from the station publishing the change to the last watcher having it.
 * - The station's bytes per change: what nats-server received on the station's connection
 *   (/connz in_bytes) for the relay; what the station's sockets sent for the direct WebSocket.
 * - nats-server's resident memory (/varz mem) with and without the watchers.
 * Bounded: fixed counts, a timeout on every wait. Prints a Markdown table.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type RunningServer, startServer } from '../server/app.js';
import type { Broadcast } from '../server/protocol/broadcasts.js';
import type { ChildMessage, ParentMessage, WatcherKind } from './relay-watchers.js';
import { RpcClient } from './client.js';
import { formatCount, formatMs, percentile } from './stats.js';
import { freePort } from './free-port.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const NATS_SERVER = '/usr/sbin/nats-server';
const STATION = 'ea8abc';
/** The shipped accounts file's example station and its placeholder password: loopback only. */
const STATION_USER = { user: 'station-ea8abc', password: 'CHANGE-ME-ea8abc' };
const ADMIN = { username: 'admin', password: 'bench-password-123' };
const LOAD_PROCESSES = 4;
const ROUNDS = 30;
const WARMUP = 3;
const ROUND_TIMEOUT_MS = 20_000;
const CONNECT_TIMEOUT_MS = 180_000;

const epochMs = () => performance.timeOrigin + performance.now();

/** A child with its open-file limit raised to the hard limit (one descriptor per watcher). */
function spawnRaised(command: string, args: string[], ipc: boolean): ChildProcess {
  return spawn('bash', ['-c', 'ulimit -n "$(ulimit -Hn)" && exec "$0" "$@"', command, ...args], {
    stdio: ipc ? ['ignore', 'inherit', 'inherit', 'ipc'] : ['ignore', 'ignore', 'pipe'],
  });
}

interface Hub {
  url: string;
  monitor: string;
  child: ChildProcess;
}

async function startHub(dir: string): Promise<Hub> {
  const [client, monitor, websocket] = [await freePort(), await freePort(), await freePort()];
  await copyFile(path.join(ROOT, 'deploy', 'relay', 'pileup-accounts.conf'), path.join(dir, 'pileup-accounts.conf'));
  const config = [
    `listen: 127.0.0.1:${client}`,
    `http: 127.0.0.1:${monitor}`,
    'max_connections: 20000',
    'max_payload: 1MB',
    `jetstream { store_dir: ${JSON.stringify(path.join(dir, 'js'))}, max_mem: 128M, max_file: 2G }`,
    `websocket { listen: "127.0.0.1:${websocket}", no_tls: true, compression: false }`,
    'include "pileup-accounts.conf"',
  ].join('\n');
  await writeFile(path.join(dir, 'nats-server.conf'), config);
  const child = spawnRaised(NATS_SERVER, ['-c', path.join(dir, 'nats-server.conf')], false);
  let log = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    log += chunk;
  });
  const deadline = Date.now() + 15_000;
  while (!log.includes('Server is ready')) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`nats-server did not start:\n${log}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { url: `nats://127.0.0.1:${client}`, monitor: `http://127.0.0.1:${monitor}`, child };
}

async function monitorJson<T>(hub: Hub, endpoint: string): Promise<T> {
  return (await (await fetch(`${hub.monitor}${endpoint}`)).json()) as T;
}

/** Bytes nats-server has received from the station's connection so far. */
async function stationInBytes(hub: Hub): Promise<number> {
  const connz = await monitorJson<{ connections: { name?: string; in_bytes: number }[] }>(hub, '/connz?limit=100000');
  const station = connz.connections.find((connection) => connection.name?.includes(`(station ${STATION})`));
  if (station === undefined) throw new Error('the station is not connected to nats-server');
  return station.in_bytes;
}

async function hubRssMiB(hub: Hub): Promise<number> {
  return (await monitorJson<{ mem: number }>(hub, '/varz')).mem / (1024 * 1024);
}

class LoadProcess {
  private readonly waiting = new Map<string, (message: ChildMessage) => void>();

  private constructor(readonly child: ChildProcess) {
    child.on('message', (message: ChildMessage) => {
      const key = 'ready' in message ? 'ready' : 'armed' in message ? `armed:${message.armed}` : 'done' in message ? `done:${message.done}` : 'bytes' in message ? 'bytes' : 'failed';
      if ('failed' in message) {
        for (const resolve of this.waiting.values()) resolve(message);
        return;
      }
      this.waiting.get(key)?.(message);
      this.waiting.delete(key);
    });
  }

  static start(): LoadProcess {
    return new LoadProcess(spawnRaised(process.execPath, [path.join(ROOT, 'dist', 'bench', 'relay-watchers.js')], true));
  }

  ask(message: ParentMessage, answer: string, timeoutMs: number): Promise<ChildMessage> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`load process: no ${answer} in ${timeoutMs} ms`)), timeoutMs);
      this.waiting.set(answer, (reply) => {
        clearTimeout(timer);
        if ('failed' in reply) reject(new Error(reply.failed));
        else resolve(reply);
      });
      this.child.send(message);
    });
  }

  /** When each of this process's watchers had the change `key` (epoch ms). */
  arrivals(key: string, timeoutMs: number): Promise<number[]> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${key}: not every watcher had it in ${timeoutMs} ms`)), timeoutMs);
      this.waiting.set(`done:${key}`, (message) => {
        clearTimeout(timer);
        if ('failed' in message) reject(new Error(message.failed));
        else resolve('times' in message ? message.times : []);
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.child.exitCode !== null) return resolve();
      this.child.once('exit', () => resolve());
      this.child.send({ cmd: 'close' } satisfies ParentMessage);
    });
  }
}

interface Figures {
  watchers: number;
  lastWatcherMs: number[];
  deliveryMs: number[];
  bytesPerChange: number;
}

/** Runs ROUNDS changes against watchers spread over the load processes. */
async function measure(
  station: RunningServer,
  admin: RpcClient,
  token: string,
  kind: WatcherKind,
  url: string,
  watchers: number,
  bytesSoFar: (loads: LoadProcess[]) => Promise<number>,
): Promise<Figures> {
  const count = Math.min(LOAD_PROCESSES, watchers);
  const loads = Array.from({ length: count }, () => LoadProcess.start());
  let published = 0;
  const onBroadcast = (message: Broadcast) => {
    if (message.type === 'frequency_update') published = epochMs();
  };
  // First in line: the gateway's and the relay's listeners send during the same emit.
  station.service.prependListener('broadcast', onBroadcast);
  try {
    const share = (index: number) => Math.floor(watchers / count) + (index < watchers % count ? 1 : 0);
    await Promise.all(loads.map((load, index) => load.ask({ cmd: 'connect', kind, url, station: STATION, count: share(index) }, 'ready', CONNECT_TIMEOUT_MS)));
    const figures: Figures = { watchers, lastWatcherMs: [], deliveryMs: [], bytesPerChange: 0 };
    let bytesBefore = 0;
    for (let round = 0; round < WARMUP + ROUNDS; round += 1) {
      if (round === WARMUP) bytesBefore = await bytesSoFar(loads);
      const key = `UP ${kind} ${watchers} ${round}`;
      await Promise.all(loads.map((load) => load.ask({ cmd: 'expect', key }, `armed:${key}`, ROUND_TIMEOUT_MS)));
      const arrivals = Promise.all(loads.map((load) => load.arrivals(key, ROUND_TIMEOUT_MS)));
      const reply = await admin.expect({ type: 'admin_set_split', split: key, session_token: token });
      if (reply.type !== 'success') throw new Error(`admin_set_split refused: ${JSON.stringify(reply)}`);
      const times = (await arrivals).flat();
      if (round < WARMUP) continue;
      figures.deliveryMs.push(...times.map((at) => at - published));
      figures.lastWatcherMs.push(Math.max(...times) - published);
    }
    // Let the last snapshot write finish before counting bytes.
    await new Promise((resolve) => setTimeout(resolve, 200));
    figures.bytesPerChange = ((await bytesSoFar(loads)) - bytesBefore) / ROUNDS;
    return figures;
  } finally {
    station.service.off('broadcast', onBroadcast);
    await Promise.all(loads.map((load) => load.close()));
  }
}

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pileup-bench-relay-'));
  const hub = await startHub(dir);
  let station: RunningServer | undefined;
  let admin: RpcClient | undefined;
  try {
    station = await startServer({
      dataDir: path.join(dir, 'station'),
      host: '127.0.0.1',
      port: 0,
      relay: { servers: [hub.url], station_id: STATION },
      env: {
        ADMIN_USERNAME: ADMIN.username,
        ADMIN_PASSWORD: ADMIN.password,
        PILEUP_RELAY_USER: STATION_USER.user,
        PILEUP_RELAY_PASSWORD: STATION_USER.password,
      },
      onUnexpected: (error) => console.error(error),
    });
    const deadline = Date.now() + 30_000;
    while (station.relay.status().state !== 'connected') {
      if (Date.now() > deadline) throw new Error(`the station did not connect: ${JSON.stringify(station.relay.status())}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    admin = await RpcClient.connect(station.url);
    const token = await admin.login(ADMIN.username, ADMIN.password);
    if (token === undefined) throw new Error('no session');
    const running = station;
    const relayBytes = () => stationInBytes(hub);
    const idleRss = await hubRssMiB(hub);

    process.stderr.write('bench:relay: 1 relay watcher… ');
    const one = await measure(running, admin, token, 'nats', hub.url, 1, relayBytes);
    process.stderr.write('done\nbench:relay: 10,000 relay watchers… ');
    let loadedRss = 0;
    const many = await measure(running, admin, token, 'nats', hub.url, 10_000, async () => {
      loadedRss = Math.max(loadedRss, await hubRssMiB(hub));
      return relayBytes();
    });
    process.stderr.write('done\nbench:relay: 1,000 direct WebSocket watchers… ');
    const socketBytes = async (loads: LoadProcess[]) => {
      const counts = await Promise.all(loads.map((load) => load.ask({ cmd: 'bytes' }, 'bytes', 5000)));
      return counts.reduce((sum, message) => sum + ('bytes' in message ? message.bytes : 0), 0);
    };
    const direct = await measure(running, admin, token, 'ws', station.url, 1_000, socketBytes);
    process.stderr.write('done\n');

    const row = (label: string, figures: Figures, rss: string) =>
      `| ${label} | ${formatCount(figures.watchers)} | ${formatMs(percentile(figures.lastWatcherMs, 50))} | ${formatMs(percentile(figures.lastWatcherMs, 99))} | ${formatMs(percentile(figures.deliveryMs, 50))} | ${formatCount(figures.bytesPerChange)} B | ${rss} |`;
    const perConnectionKiB = ((loadedRss - idleRss) * 1024) / 10_000;
    console.log(
      [
        `Relay fan-out on this machine (${os.cpus().length} cores, ${os.cpus()[0]?.model ?? 'cpu'}; Node ${process.version}; nats-server with the shipped permissions; ${ROUNDS} changes each, after ${WARMUP} warm-up):`,
        '',
        '| path | watchers | change → last watcher p50 | p99 | change → a watcher p50 | station uplink per change | nats-server RSS |',
        '|---|---:|---:|---:|---:|---:|---:|',
        row('public relay (NATS)', one, `${idleRss.toFixed(0)} MiB idle`),
        row('public relay (NATS)', many, `${loadedRss.toFixed(0)} MiB (~${perConnectionKiB.toFixed(0)} KiB per watcher)`),
        row('direct WebSocket to the station', direct, '—'),
        '',
        'Uplink per change: for the relay, what nats-server received on the station\'s one connection (the event, the KV snapshot and its acknowledgement traffic); for the direct WebSocket, what the station\'s sockets sent to all watchers.',
      ].join('\n'),
    );
  } finally {
    admin?.close();
    await station?.close();
    hub.child.kill('SIGTERM');
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
