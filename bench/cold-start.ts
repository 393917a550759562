/**
 * Row 4: cold start over a 100,000-QSO and a 500,000-QSO log. Each run copies the same pristine
 * `log.db` into a fresh data directory and measures (a) until the server listens and (b) until
 * the first `get_queue_status` reply, both in this process (modules already loaded) and as a
 * fresh `node dist/server/headless.js` child — the bundled CLI that `npm run serve` runs, module
 * loading included — and the child's resident size right after. The bare ws server is timed the same way for scale: it has no data to load.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFile, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../server/app.js';
import { QsoLog } from '../server/core/qso-log.js';
import { PileupStore } from '../server/store/pileup-store.js';
import { startBareServer } from './bare-server.js';
import { ADMIN_PASSWORD, ADMIN_USERNAME, launchServer, makeTempDir } from './child-server.js';
import { RpcClient } from './client.js';
import { writeQsoLog } from './qso-log.js';
import { rssKiB } from './proc.js';
import { formatCount, formatMiB, formatMs, formatRatio, median } from './stats.js';
import { type BenchResult, type Row, verdict } from './table.js';
import { now, withTimeout } from './timing.js';

const LOG_QSOS = 100_000;
const BIG_LOG_QSOS = 500_000;
const RUNS = 3;
const GOAL_MS = 1_500;
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 30_000;
const CLI_SCRIPT = fileURLToPath(new URL('../server/headless.js', import.meta.url));

interface StartFigures {
  listeningMs: number;
  firstReplyMs: number;
  /** Graceful shutdown (Pileup compacts its files), or NaN when not measured. */
  closeMs: number;
  /** The child's resident size right after the first reply, or NaN in-process. */
  rssKiB: number;
}

async function firstStatusReply(url: string): Promise<void> {
  const client = await RpcClient.connect(url);
  try {
    const reply = await client.expect({ type: 'get_queue_status' });
    if (typeof reply.data?.queue_size !== 'number') throw new Error('get_queue_status reply without queue_size');
  } finally {
    client.close();
  }
}

async function freshDataDir(pristineLog: string): Promise<string> {
  const dir = await makeTempDir('cold');
  await copyFile(pristineLog, path.join(dir, 'log.db'));
  return dir;
}

async function pileupInProcess(pristineLog: string): Promise<StartFigures> {
  const dataDir = await freshDataDir(pristineLog);
  try {
    const t0 = now();
    const server = await startServer({ dataDir, host: '127.0.0.1', port: 0, env: { ADMIN_USERNAME, ADMIN_PASSWORD } });
    const listeningMs = now() - t0;
    try {
      await firstStatusReply(server.url);
    } catch (error) {
      await server.close();
      throw error;
    }
    const firstReplyMs = now() - t0;
    const c0 = now();
    await server.close();
    return { listeningMs, firstReplyMs, closeMs: now() - c0, rssKiB: Number.NaN };
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function bareInProcess(): Promise<StartFigures> {
  const t0 = now();
  const server = await startBareServer('127.0.0.1', 0);
  const listeningMs = now() - t0;
  try {
    await firstStatusReply(server.url);
    return { listeningMs, firstReplyMs: now() - t0, closeMs: Number.NaN, rssKiB: Number.NaN };
  } finally {
    await server.close();
  }
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

function announcedUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      output += chunk;
      const match = /WebSocket API: (ws:\/\/\S+)/.exec(output);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`cli exited (${code}) before announcing its URL: ${output.slice(0, 300)}`)));
  });
}

async function pileupChild(pristineLog: string): Promise<StartFigures> {
  const dataDir = await freshDataDir(pristineLog);
  const t0 = now();
  const child = spawn(process.execPath, [CLI_SCRIPT, '--host', '127.0.0.1', '--port', '0', '--data-dir', dataDir], {
    env: { ...process.env, ADMIN_USERNAME, ADMIN_PASSWORD },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const url = await withTimeout(announcedUrl(child), START_TIMEOUT_MS, 'cli to announce its URL');
    const listeningMs = now() - t0;
    await firstStatusReply(url);
    const firstReplyMs = now() - t0;
    const rss = child.pid === undefined ? Number.NaN : rssKiB(child.pid);
    const c0 = now();
    child.kill('SIGTERM');
    await withTimeout(exited(child), STOP_TIMEOUT_MS, 'cli to shut down');
    return { listeningMs, firstReplyMs, closeMs: now() - c0, rssKiB: rss };
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited(child);
    }
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function bareChild(): Promise<StartFigures> {
  const t0 = now();
  const server = await launchServer('bare');
  try {
    const listeningMs = now() - t0;
    await firstStatusReply(server.url);
    return { listeningMs, firstReplyMs: now() - t0, closeMs: Number.NaN, rssKiB: rssKiB(server.pid) };
  } finally {
    await server.stop();
  }
}

async function repeat(run: () => Promise<StartFigures>): Promise<StartFigures> {
  const all: StartFigures[] = [];
  for (let i = 0; i < RUNS; i += 1) all.push(await run());
  return {
    listeningMs: median(all.map((f) => f.listeningMs)),
    firstReplyMs: median(all.map((f) => f.firstReplyMs)),
    closeMs: median(all.map((f) => f.closeMs)),
    rssKiB: median(all.map((f) => f.rssKiB)),
  };
}

/** Where the in-process start-up time goes: the raw parse floor, the store opening its files, the indexes, the recent-log query. */
async function breakdown(pristineLog: string): Promise<string> {
  const p0 = now();
  const lines = (await readFile(pristineLog, 'utf8')).split('\n');
  let parsed = 0;
  for (const line of lines) if (line !== '') parsed += JSON.parse(line) === null ? 0 : 1;
  const parseMs = now() - p0;
  const dataDir = await freshDataDir(pristineLog);
  try {
    const o0 = now();
    const store = await PileupStore.open(dataDir);
    const openMs = now() - o0;
    const r0 = now();
    const log = new QsoLog(store.log);
    const indexMs = now() - r0;
    const c0 = now();
    log.recentEnds();
    const total = log.size;
    const countMs = now() - c0;
    await store.close();
    return (
      `Cold start breakdown (in-process, one run): reading + JSON.parse of the ${formatCount(parsed)} lines alone ${formatMs(parseMs)}; ` +
      `PileupStore.open (streams and parses log.db line by line, then state, sessions and settings) ${formatMs(openMs)}; ` +
      `QsoLog's dupe and worked-recently indexes ${formatMs(indexMs)}; the wait estimate's recent QSOs and the count (${formatCount(total)}) ${formatMs(countMs)}.`
    );
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** The child start over a 500,000-QSO log (no in-process or bare runs: those say nothing new). */
async function bigLogStart(): Promise<{ figures: StartFigures; bytes: number }> {
  const logDir = await makeTempDir('biglog');
  try {
    const pristineLog = path.join(logDir, 'log.db');
    const bytes = await writeQsoLog(pristineLog, BIG_LOG_QSOS);
    return { figures: await repeat(() => pileupChild(pristineLog)), bytes };
  } finally {
    await rm(logDir, { recursive: true, force: true });
  }
}

export async function benchColdStart(): Promise<BenchResult> {
  const logDir = await makeTempDir('log');
  try {
    const pristineLog = path.join(logDir, 'log.db');
    const bytes = await writeQsoLog(pristineLog, LOG_QSOS);
    const inProcess = { pileup: await repeat(() => pileupInProcess(pristineLog)), bare: await repeat(bareInProcess) };
    const child = { pileup: await repeat(() => pileupChild(pristineLog)), bare: await repeat(bareChild) };
    const explained = await breakdown(pristineLog);
    const big = await bigLogStart();
    const qsos = `${LOG_QSOS / 1000}k-QSO log`;
    // In-process, the bare server only binds a socket: a ratio against that says nothing.
    const row = (benchmark: string, pileup: number, bare: number, goal: boolean, ratio = true): Row => ({
      benchmark,
      pileup: formatMs(pileup),
      bare: formatMs(bare),
      ratio: ratio ? formatRatio(pileup / bare) : '—',
      goal: goal ? `≤ ${GOAL_MS / 1000} s` : '—',
      met: goal ? verdict(pileup <= GOAL_MS) : '—',
    });
    return {
      rows: [
        row(`4. cold start, ${qsos}: child \`headless.js\` spawn → first get_queue_status reply`, child.pileup.firstReplyMs, child.bare.firstReplyMs, true),
        row('4a. cold start: child spawn → listening (URL line / ready)', child.pileup.listeningMs, child.bare.listeningMs, false),
        row('4b. cold start: in-process startServer → first reply', inProcess.pileup.firstReplyMs, inProcess.bare.firstReplyMs, true, false),
        row('4c. cold start: in-process startServer → listening', inProcess.pileup.listeningMs, inProcess.bare.listeningMs, false, false),
        {
          benchmark: '4d. server RSS right after the cold start (child)',
          pileup: formatMiB(child.pileup.rssKiB),
          bare: formatMiB(child.bare.rssKiB),
          ratio: formatRatio(child.pileup.rssKiB / child.bare.rssKiB),
          goal: '—',
          met: '—',
        },
        row(`4e. cold start, ${BIG_LOG_QSOS / 1000}k-QSO log: child \`headless.js\` spawn → first get_queue_status reply`, big.figures.firstReplyMs, child.bare.firstReplyMs, false),
        {
          benchmark: `4f. server RSS right after the cold start, ${BIG_LOG_QSOS / 1000}k-QSO log (child)`,
          pileup: formatMiB(big.figures.rssKiB),
          bare: formatMiB(child.bare.rssKiB),
          ratio: formatRatio(big.figures.rssKiB / child.bare.rssKiB),
          goal: '—',
          met: '—',
        },
      ],
      notes: [
        `Cold start: log.db of ${formatCount(LOG_QSOS)} QSOs, ${(bytes / 1024 / 1024).toFixed(1)} MiB, copied fresh for each of ${RUNS} runs (median shown). ` +
          `Graceful shutdown afterwards (compacts the files) took ${formatMs(child.pileup.closeMs)} (cli SIGTERM) / ${formatMs(inProcess.pileup.closeMs)} (in-process close()).`,
        explained,
        `Cold start over ${formatCount(BIG_LOG_QSOS)} QSOs: log.db of ${(big.bytes / 1024 / 1024).toFixed(1)} MiB, median of ${RUNS} child runs; ` +
          `listening after ${formatMs(big.figures.listeningMs)}, graceful shutdown (compaction) ${formatMs(big.figures.closeMs)}.`,
      ],
    };
  } finally {
    await rm(logDir, { recursive: true, force: true });
  }
}
