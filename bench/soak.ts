/**
 * `npm run soak -- [--minutes 10] [--connections 1000] [--heartbeat-s 10]`: the server in a
 * child process on 127.0.0.1, `connections` WebSocket clients each sending one request a second
 * (pings as heartbeats, status reads, registrations) while an operator works the queue. Every
 * minute a wave of clients vanishes without closing (they stop reading and sending, like a
 * dropped Wi-Fi link) and is replaced; a few slow readers keep asking for big replies and never
 * read them. Prints the server's RSS over time, how soon dead peers were reaped, when the slow
 * readers were cut off, and every error. Bounded: it stops after `minutes`, whatever happens.
 */
import { fork } from 'node:child_process';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { WebSocket } from 'ws';
import { ADMIN_PASSWORD, ADMIN_USERNAME, makeTempDir } from './child-server.js';
import { openSocket, RpcClient } from './client.js';
import { openFileLimit, rssKiB } from './proc.js';
import type { SoakCommand, SoakMessage } from './soak-server.js';
import { askStats } from './soak-stats.js';
import { formatMiB, formatMs, percentile } from './stats.js';
import { now, sleep, withTimeout } from './timing.js';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    connections: { type: 'string', default: '1000' },
    'heartbeat-s': { type: 'string', default: '10' },
    vanish: { type: 'string', default: '25' },
    slow: { type: 'string', default: '5' },
  },
});
const MINUTES = Number(values.minutes);
const CONNECTIONS = Number(values.connections);
const HEARTBEAT_MS = Number(values['heartbeat-s']) * 1000;
const VANISH_PER_WAVE = Number(values.vanish);
const SLOW_READERS = Number(values.slow);
/** The soak server's send-buffer cap: small, so slow readers hit it within seconds. */
const MAX_BUFFERED_BYTES = 1024 * 1024;
const REQUEST_TIMEOUT_MS = 10_000;
/** The reap time is observed by polling the server every 250 ms over IPC, and timers drift under load. */
const REAP_MEASURE_SLACK_MS = 1_000;
const SAMPLE_EVERY_MS = 15_000;
const CALLS = Array.from({ length: 400 }, (_, i) => `K${i + 1}SK`);

const script = fileURLToPath(new URL('./soak-server.js', import.meta.url));

interface Counters {
  sent: number;
  replied: number;
  businessRefusals: number;
  errors: string[];
  latencies: number[];
}

const counters: Counters = { sent: 0, replied: 0, businessRefusals: 0, errors: [], latencies: [] };

function recordError(message: string): void {
  counters.errors.push(message);
  if (counters.errors.length <= 10) console.error(`soak: error: ${message}`);
}

/** One well-behaved client: a request a second, every reply checked. */
class SteadyClient {
  private timer: NodeJS.Timeout | undefined;
  private readonly pending = new Map<string, number>();
  private counter = 0;
  vanished = false;

  constructor(
    readonly ws: WebSocket,
    private readonly index: number,
  ) {
    ws.on('message', (data: Buffer) => {
      if (!data.includes('"request_id"')) return;
      const frame = JSON.parse(data.toString()) as { request_id?: string; type: string; error_code?: string };
      const sentAt = frame.request_id === undefined ? undefined : this.pending.get(frame.request_id);
      if (sentAt === undefined || frame.request_id === undefined) return;
      this.pending.delete(frame.request_id);
      counters.replied += 1;
      counters.latencies.push(now() - sentAt);
      if (frame.type === 'error') {
        if (['ALREADY_IN_QUEUE', 'QUEUE_FULL', 'RATE_LIMITED'].includes(frame.error_code ?? '')) counters.businessRefusals += 1;
        else recordError(`client ${this.index}: ${frame.error_code ?? 'error'}`);
      }
    });
    ws.on('close', (code) => {
      this.stop();
      if (!this.vanished && !stopping) recordError(`client ${this.index} closed unexpectedly (${code})`);
    });
    this.timer = setTimeout(() => this.tick(), Math.random() * 1000);
  }

  private tick(): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    for (const [id, sentAt] of this.pending) {
      if (now() - sentAt > REQUEST_TIMEOUT_MS) {
        this.pending.delete(id);
        recordError(`client ${this.index}: no reply within ${REQUEST_TIMEOUT_MS} ms`);
      }
    }
    const id = `s${this.index}-${++this.counter}`;
    const roll = this.counter % 4;
    const body =
      roll === 0
        ? { type: 'ping' }
        : roll === 1
          ? { type: 'get_queue_status' }
          : roll === 2
            ? { type: 'register_callsign', callsign: CALLS[Math.floor(Math.random() * CALLS.length)] }
            : { type: 'get_current_qso' };
    this.pending.set(id, now());
    counters.sent += 1;
    this.ws.send(JSON.stringify({ ...body, request_id: id }));
    this.timer = setTimeout(() => this.tick(), 1000);
  }

  stop(): void {
    clearTimeout(this.timer);
  }

  /** Goes silent without a close frame or FIN: stops sending and stops reading (so no pongs). */
  vanish(): void {
    this.vanished = true;
    this.stop();
    this.ws.pause();
  }
}

let stopping = false;

async function main(): Promise<void> {
  const limit = openFileLimit();
  if (limit !== null && limit < CONNECTIONS + 500) {
    console.error(`soak: the open-file limit is ${limit}; run \`ulimit -n ${CONNECTIONS * 2 + 500}\` first.`);
    process.exit(1);
  }
  const dataDir = await makeTempDir('soak');
  const child = fork(script, [dataDir, String(HEARTBEAT_MS), String(MAX_BUFFERED_BYTES)], {
    env: { ...process.env, ADMIN_USERNAME, ADMIN_PASSWORD },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    const ready = await withTimeout(
      new Promise<string>((resolve) => child.once('message', (m: SoakMessage) => m.type === 'ready' && resolve(m.url))),
      30_000,
      'soak server to start',
    );
    const pid = child.pid as number;
    const started = now();
    const loadBefore = os.loadavg()[0] ?? Number.NaN;
    console.log(
      `Soak: ${CONNECTIONS} connections × 1 request/s for ${MINUTES} min; server heartbeat ${HEARTBEAT_MS / 1000} s, ` +
        `send-buffer cap ${formatMiB(MAX_BUFFERED_BYTES / 1024)}; ${VANISH_PER_WAVE} vanish every minute; ${SLOW_READERS} slow readers.`,
    );
    console.log(`RSS at start (idle, no clients): ${formatMiB(rssKiB(pid))}`);

    const operator = await RpcClient.connect(ready);
    const token = await operator.login(ADMIN_USERNAME, ADMIN_PASSWORD);
    await operator.expect({ type: 'admin_toggle_system', session_token: token, active: true });
    await operator.expect({ type: 'admin_set_max_queue_size', session_token: token, max_queue_size: 20 });

    const clients: SteadyClient[] = [];
    const open = async (count: number) => {
      for (let opened = 0; opened < count; opened += 50) {
        const batch = await Promise.all(Array.from({ length: Math.min(50, count - opened) }, () => openSocket(ready)));
        for (const ws of batch) clients.push(new SteadyClient(ws, clients.length));
      }
    };
    await open(CONNECTIONS);
    console.log(`${CONNECTIONS} connections open after ${((now() - started) / 1000).toFixed(1)} s; RSS ${formatMiB(rssKiB(pid))}`);

    // Slow readers: ask for large replies (an invalid 60 KB callsign is echoed back) and never read.
    const slowClosedAfter: number[] = [];
    const slowStart = now();
    const slow = await Promise.all(Array.from({ length: SLOW_READERS }, () => openSocket(ready)));
    const bigRequest = JSON.stringify({ type: 'register_callsign', callsign: 'X'.repeat(60_000) });
    const slowTimers = slow.map((ws) => {
      ws.pause();
      ws.once('close', () => slowClosedAfter.push(now() - slowStart));
      return setInterval(() => {
        if (ws.readyState === WebSocket.OPEN) ws.send(bigRequest);
      }, 100);
    });

    const workTimer = setInterval(() => {
      operator.request({ type: 'admin_work_next', session_token: token }).catch((error: unknown) => recordError(`operator: ${String(error)}`));
    }, 1000);

    const reapTimes: number[] = [];
    const rss: { t: number; kib: number }[] = [];
    const deadline = started + MINUTES * 60_000;
    let nextSample = now() + SAMPLE_EVERY_MS;
    let nextWave = now() + 30_000;
    let lastSent = 0;
    let lastSampleAt = now();
    console.log('\n| t (s) | server RSS | clients | requests/s | p99 reply | reaped dead | slow cut off | errors |\n|---:|---:|---:|---:|---:|---:|---:|---:|');
    while (now() < deadline) {
      if (now() >= nextWave && now() + 2 * HEARTBEAT_MS + 5_000 < deadline) {
        nextWave += 60_000;
        const before = (await askStats(child)).reapedDead;
        const victims = clients.filter((c) => !c.vanished).slice(0, VANISH_PER_WAVE);
        const vanishedAt = now();
        for (const victim of victims) victim.vanish();
        // Measure how long the server takes to reap them (bounded: 3 intervals, then it is a failure).
        for (;;) {
          const stats = await askStats(child);
          if (stats.reapedDead - before >= victims.length) {
            reapTimes.push(now() - vanishedAt);
            break;
          }
          if (now() - vanishedAt > 3 * HEARTBEAT_MS) {
            recordError(`only ${stats.reapedDead - before} of ${victims.length} vanished peers reaped after ${3 * HEARTBEAT_MS} ms`);
            break;
          }
          await sleep(250);
        }
        for (const victim of victims) victim.ws.terminate();
        await open(victims.length);
      }
      if (now() >= nextSample) {
        const stats = await askStats(child);
        const kib = rssKiB(pid);
        rss.push({ t: (now() - started) / 1000, kib });
        const rate = (counters.sent - lastSent) / ((now() - lastSampleAt) / 1000);
        lastSent = counters.sent;
        lastSampleAt = now();
        const p99 = percentile(counters.latencies.slice(-20_000), 99);
        console.log(
          `| ${Math.round((now() - started) / 1000)} | ${formatMiB(kib)} | ${stats.clients} | ${Math.round(rate)} | ${formatMs(p99)} | ${stats.reapedDead} | ${stats.cutOffSlow} | ${counters.errors.length + stats.unexpected} |`,
        );
        nextSample = now() + SAMPLE_EVERY_MS;
      }
      await sleep(200);
    }

    stopping = true;
    clearInterval(workTimer);
    for (const timer of slowTimers) clearInterval(timer);
    const final = await askStats(child);
    for (const client of clients) client.stop();
    for (const ws of [...clients.map((c) => c.ws), ...slow]) ws.terminate();
    operator.close();
    const kibs = rss.map((s) => s.kib);
    console.log(
      `\nSummary: ${counters.sent.toLocaleString('en-US')} requests, ${counters.replied.toLocaleString('en-US')} replies ` +
        `(${counters.businessRefusals.toLocaleString('en-US')} of them queue refusals such as QUEUE_FULL), ` +
        `reply p50 ${formatMs(percentile(counters.latencies, 50))}, p99 ${formatMs(percentile(counters.latencies, 99))}; ` +
        `server RSS min ${formatMiB(Math.min(...kibs))}, max ${formatMiB(Math.max(...kibs))}, last ${formatMiB(kibs.at(-1) ?? Number.NaN)}; ` +
        `vanished peers reaped after ${reapTimes.map((ms) => `${(ms / 1000).toFixed(1)} s`).join(', ') || 'n/a'} ` +
        `(limit: 2 heartbeat intervals = ${(2 * HEARTBEAT_MS) / 1000} s, observed by polling every 250 ms); ` +
        `slow readers cut off: ${final.cutOffSlow} of ${SLOW_READERS}, after ${slowClosedAfter.map((ms) => `${(ms / 1000).toFixed(1)} s`).join(', ') || 'n/a'}; ` +
        `peak requests queued on one connection ${final.peakQueuedRequests}; ` +
        `errors ${counters.errors.length}, unexpected server errors ${final.unexpected}. ` +
        `Load average ${loadBefore.toFixed(2)} before, ${(os.loadavg()[0] ?? Number.NaN).toFixed(2)} after, on ${os.cpus().length} cores (shared machine).`,
    );
    const reapLimitMissed = reapTimes.some((ms) => ms > 2 * HEARTBEAT_MS + REAP_MEASURE_SLACK_MS);
    if (counters.errors.length > 0 || final.unexpected > 0 || reapLimitMissed || final.cutOffSlow < SLOW_READERS) process.exitCode = 1;
  } finally {
    if (child.connected) child.send({ cmd: 'stop' } satisfies SoakCommand);
    await withTimeout(exited, 30_000, 'soak server to exit').catch(() => child.kill('SIGKILL'));
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
