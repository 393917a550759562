/**
 * Row 2: fan-out. Each server gets 1,000 watcher connections plus one admin connection. Each
 * round an admin sends `admin_set_split`; a watcher's latency is the time from sending that
 * request to the watcher receiving the resulting `frequency_update`. Pileup persists the state
 * before it broadcasts; the bare server just broadcasts a frame of the same shape and size.
 * Both servers stay up and rounds alternate between them, so background load hits both alike.
 */
import type { RawData, WebSocket } from 'ws';
import type { ServerKind } from './child-protocol.js';
import { ADMIN_PASSWORD, ADMIN_USERNAME, type ChildServer, withBothServers } from './child-server.js';
import { closeAll, openSockets, parseFrame, RpcClient } from './client.js';
import { formatMs, formatRatio, median, percentile } from './stats.js';
import { type BenchResult, verdict } from './table.js';
import { now, signal, sleep, withTimeout } from './timing.js';

const WATCHERS = 1_000;
const CONNECT_CONCURRENCY = 50;
const WARMUP_ROUNDS = 5;
const ROUNDS = 50;
const ROUND_TIMEOUT_MS = 5_000;
const PAUSE_BETWEEN_ROUNDS_MS = 10;
const GOAL_P50_FACTOR = 2;

interface FanoutFigures {
  /** Every watcher's latency of every measured round, ms. */
  latencies: number[];
  /** Per round: when the last watcher had it, ms. */
  lastWatcher: number[];
  /** Per round: when the admin had its reply, ms. */
  reply: number[];
}

interface Round {
  t0: number;
  received: number;
  latencies: number[];
  done: ReturnType<typeof signal<void>>;
}

/** One server's watchers and admin, and the round in progress on them. */
interface Audience {
  watchers: WebSocket[];
  admin: RpcClient;
  token: string | undefined;
  round: Round | undefined;
  /** Frames that reached a watcher outside a round (there should be none). */
  unexpected: number;
  sample: RawData | undefined;
  figures: FanoutFigures;
}

async function gather(server: ChildServer): Promise<Audience> {
  const admin = await RpcClient.connect(server.url);
  try {
    const token = server.kind === 'pileup' ? await admin.login(ADMIN_USERNAME, ADMIN_PASSWORD) : undefined;
    const watchers = await openSockets(server.url, WATCHERS, CONNECT_CONCURRENCY);
    const audience: Audience = {
      watchers,
      admin,
      token,
      round: undefined,
      unexpected: 0,
      sample: undefined,
      figures: { latencies: [], lastWatcher: [], reply: [] },
    };
    watchers.forEach((ws, index) => {
      ws.on('message', (data: RawData) => {
        const at = now();
        const { round } = audience;
        if (round === undefined) {
          audience.unexpected += 1;
          return;
        }
        if (index === 0) audience.sample = data;
        round.latencies.push(at - round.t0);
        round.received += 1;
        if (round.received === WATCHERS) round.done.resolve();
      });
    });
    return audience;
  } catch (error) {
    admin.close();
    throw error;
  }
}

function disperse(audience: Audience | undefined): void {
  if (audience === undefined) return;
  audience.admin.close();
  closeAll(audience.watchers);
}

async function playRound(audience: Audience, index: number, counted: boolean): Promise<void> {
  const round: Round = { t0: now(), received: 0, latencies: [], done: signal<void>() };
  audience.round = round;
  try {
    await audience.admin.expect({ type: 'admin_set_split', split: `UP ${(index % 9) + 1}`, session_token: audience.token });
    const replyMs = now() - round.t0;
    await withTimeout(round.done.promise, ROUND_TIMEOUT_MS, `round ${index}: ${round.received} of ${WATCHERS} watchers reached`);
    if (counted) {
      audience.figures.latencies.push(...round.latencies);
      audience.figures.lastWatcher.push(Math.max(...round.latencies));
      audience.figures.reply.push(replyMs);
    }
  } finally {
    audience.round = undefined;
  }
}

function checkAudience(audience: Audience, kind: ServerKind): number {
  const { sample } = audience;
  if (sample === undefined || parseFrame(sample).type !== 'frequency_update') {
    throw new Error(`${kind} watchers did not receive frequency_update: ${sample?.toString().slice(0, 200) ?? 'nothing'}`);
  }
  if (audience.unexpected > 0) throw new Error(`${audience.unexpected} frames reached ${kind} watchers outside a round`);
  return Buffer.byteLength(sample.toString());
}

export async function benchFanout(): Promise<BenchResult> {
  const { figures, bytes } = await withBothServers(async (servers) => {
    let bare: Audience | undefined;
    let pileup: Audience | undefined;
    try {
      bare = await gather(servers.bare);
      pileup = await gather(servers.pileup);
      for (let i = 0; i < WARMUP_ROUNDS + ROUNDS; i += 1) {
        const order = i % 2 === 0 ? [bare, pileup] : [pileup, bare];
        for (const audience of order) {
          await playRound(audience, i, i >= WARMUP_ROUNDS);
          await sleep(PAUSE_BETWEEN_ROUNDS_MS);
        }
      }
      return {
        figures: { bare: bare.figures, pileup: pileup.figures },
        bytes: { bare: checkAudience(bare, 'bare'), pileup: checkAudience(pileup, 'pileup') },
      };
    } finally {
      disperse(bare);
      disperse(pileup);
    }
  });
  const { bare, pileup } = figures;
  const p50 = { pileup: percentile(pileup.latencies, 50), bare: percentile(bare.latencies, 50) };
  const p99 = { pileup: percentile(pileup.latencies, 99), bare: percentile(bare.latencies, 99) };
  const last = { pileup: median(pileup.lastWatcher), bare: median(bare.lastWatcher) };
  const label = `${WATCHERS.toLocaleString('en-US')} watchers`;
  return {
    rows: [
      {
        benchmark: `2. fan-out to ${label}: request → watcher, p50 (${ROUNDS} rounds)`,
        pileup: formatMs(p50.pileup),
        bare: formatMs(p50.bare),
        ratio: formatRatio(p50.pileup / p50.bare),
        goal: `≤ ${GOAL_P50_FACTOR}× bare`,
        met: verdict(p50.pileup <= GOAL_P50_FACTOR * p50.bare),
      },
      {
        benchmark: `2a. fan-out to ${label}: p99`,
        pileup: formatMs(p99.pileup),
        bare: formatMs(p99.bare),
        ratio: formatRatio(p99.pileup / p99.bare),
        goal: '—',
        met: '—',
      },
      {
        benchmark: '2b. fan-out: last watcher reached (median round)',
        pileup: formatMs(last.pileup),
        bare: formatMs(last.bare),
        ratio: formatRatio(last.pileup / last.bare),
        goal: '—',
        met: '—',
      },
    ],
    notes: [
      `Fan-out: rounds alternate between the servers; broadcast frame ${bytes.pileup} B (Pileup frequency_update) vs ${bytes.bare} B (bare); ` +
        `median admin reply ${formatMs(median(pileup.reply))} vs ${formatMs(median(bare.reply))}. ` +
        `Watchers share the benchmark process, so the spread includes this process reading 1,000 frames in turn; ` +
        `${WARMUP_ROUNDS} warm-up rounds each not counted.`,
    ],
  };
}
