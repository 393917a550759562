/**
 * Row 1: request/reply rate. 20 clients each keep a small pipeline of `get_queue_status`
 * requests in flight for a fixed window; a reply triggers the next request. Same clients, same
 * request text against Pileup and the bare ws server, each in its own child process.
 */
import type { RawData, WebSocket } from 'ws';
import type { ServerKind } from './child-protocol.js';
import { withBothServers } from './child-server.js';
import { closeAll, openSockets, parseFrame } from './client.js';
import { cpuMs } from './proc.js';
import { formatCount, formatRatio, median } from './stats.js';
import { type BenchResult, verdict } from './table.js';
import { now, signal, sleep, withTimeout } from './timing.js';

const CLIENTS = 20;
const PIPELINE_DEPTH = 4;
const TRIALS = 5;
const WARMUP_MS = 500;
const MEASURE_MS = 1_500;
/** Hard cap on requests per client, whatever the speed. */
const MAX_REQUESTS_PER_CLIENT = 2_000_000;
/** Every this many replies, one is parsed and checked (parsing all would load the client side). */
const CHECK_EVERY = 256;
const GOAL_RATIO = 0.7;

interface Progress {
  phase: 'warmup' | 'measure' | 'drain';
  /** Replies received inside the measured window. */
  counted: number;
  inFlight: number;
  failure: Error | undefined;
}

interface RateFigures {
  repliesPerSecond: number;
  /** Server CPU per reply, in µs, from the child's /proc times over the window. */
  serverCpuUsPerReply: number;
  /** Share of one core the server used during the window. */
  serverCpuShare: number;
  clientCpuShare: number;
}

function checkReply(data: RawData, client: number, index: number): void {
  const frame = parseFrame(data);
  if (frame.type !== 'success' || frame.request_id !== `c${client}-${index}` || typeof frame.data?.queue_size !== 'number') {
    throw new Error(`unexpected reply to get_queue_status: ${data.toString().slice(0, 200)}`);
  }
}

async function measure(url: string, pid: number): Promise<RateFigures> {
  const sockets = await openSockets(url, CLIENTS, CLIENTS);
  const progress: Progress = { phase: 'warmup', counted: 0, inFlight: 0, failure: undefined };
  const drained = signal();

  const drive = (ws: WebSocket, client: number) => {
    let sent = 0;
    let received = 0;
    const sendOne = () => {
      ws.send(`{"type":"get_queue_status","request_id":"c${client}-${sent}"}`);
      sent += 1;
      progress.inFlight += 1;
    };
    ws.on('message', (data: RawData) => {
      progress.inFlight -= 1;
      if (received % CHECK_EVERY === 0) {
        try {
          checkReply(data, client, received);
        } catch (error) {
          progress.failure ??= error as Error;
          progress.phase = 'drain';
        }
      }
      received += 1;
      if (progress.phase === 'measure') progress.counted += 1;
      if (progress.phase !== 'drain' && sent < MAX_REQUESTS_PER_CLIENT) sendOne();
      else if (progress.inFlight === 0) drained.resolve();
    });
    for (let i = 0; i < PIPELINE_DEPTH; i += 1) sendOne();
  };

  try {
    sockets.forEach(drive);
    await sleep(WARMUP_MS);
    const serverCpu0 = cpuMs(pid);
    const clientCpu0 = process.cpuUsage();
    const t0 = now();
    if (progress.failure === undefined) progress.phase = 'measure';
    await sleep(MEASURE_MS);
    progress.phase = 'drain';
    const elapsed = now() - t0;
    const serverCpu = cpuMs(pid) - serverCpu0;
    const clientCpu = process.cpuUsage(clientCpu0);
    const replies = progress.counted;
    if (progress.inFlight === 0) drained.resolve();
    await withTimeout(drained.promise, 10_000, 'in-flight requests to drain');
    if (progress.failure) throw progress.failure;
    return {
      repliesPerSecond: (replies / elapsed) * 1000,
      serverCpuUsPerReply: (serverCpu * 1000) / replies,
      serverCpuShare: serverCpu / elapsed,
      clientCpuShare: (clientCpu.user + clientCpu.system) / 1000 / elapsed,
    };
  } finally {
    closeAll(sockets);
  }
}

export async function benchRequestRate(): Promise<BenchResult> {
  const trials: Record<ServerKind, RateFigures[]> = { bare: [], pileup: [] };
  await withBothServers(async (servers) => {
    for (let trial = 0; trial < TRIALS; trial += 1) {
      const order: ServerKind[] = trial % 2 === 0 ? ['bare', 'pileup'] : ['pileup', 'bare'];
      for (const kind of order) trials[kind].push(await measure(servers[kind].url, servers[kind].pid));
    }
  });
  const summary = (kind: ServerKind) => {
    const figures = trials[kind];
    const rates = figures.map((f) => f.repliesPerSecond);
    return {
      rate: median(rates),
      low: Math.min(...rates),
      high: Math.max(...rates),
      cpuUs: median(figures.map((f) => f.serverCpuUsPerReply)),
      serverShare: median(figures.map((f) => f.serverCpuShare)),
      clientShare: median(figures.map((f) => f.clientCpuShare)),
    };
  };
  const pileup = summary('pileup');
  const bare = summary('bare');
  const ratio = pileup.rate / bare.rate;
  const pct = (share: number) => `${Math.round(share * 100)}%`;
  const range = (s: typeof pileup) => `${formatCount(s.low)}–${formatCount(s.high)}/s`;
  return {
    rows: [
      {
        benchmark: `1. get_queue_status round trips/s (${CLIENTS} clients × ${PIPELINE_DEPTH} in flight; median of ${TRIALS} × ${MEASURE_MS / 1000} s)`,
        pileup: `${formatCount(pileup.rate)}/s`,
        bare: `${formatCount(bare.rate)}/s`,
        ratio: formatRatio(ratio),
        goal: `≥ ${GOAL_RATIO}× bare`,
        met: verdict(ratio >= GOAL_RATIO),
      },
      {
        benchmark: '1a. server CPU per round trip (child utime+stime)',
        pileup: `${pileup.cpuUs.toFixed(1)} µs`,
        bare: `${bare.cpuUs.toFixed(1)} µs`,
        ratio: formatRatio(pileup.cpuUs / bare.cpuUs),
        goal: '—',
        met: '—',
      },
    ],
    notes: [
      `Request rate: trials alternate between the two servers; range ${range(pileup)} (Pileup), ${range(bare)} (bare). ` +
        `Server CPU busy ${pct(pileup.serverShare)} / ${pct(bare.serverShare)} of one core, client process ${pct(pileup.clientShare)} / ${pct(bare.clientShare)}. ` +
        `${WARMUP_MS} ms warm-up per trial not counted.`,
    ],
  };
}
