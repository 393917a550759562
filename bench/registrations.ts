/**
 * Row 3: durable registrations per second. Pileup answers `register_callsign` only after the
 * change is appended to state.db and synced (an O_DSYNC write on Linux; group commit:
 * registrations that arrive while a sync is in flight share the next one), and every
 * registration broadcasts a `queue_update` to every connection. The queue capacity is raised to
 * 1,000; clients register distinct callsigns until it is full, the admin clears it (not timed),
 * and again, for a fixed measured time. The store's own counters give the syncs per
 * acknowledged registration. The bare ws server (bare-server.ts) takes the same registrations
 * and fans out a `queue_update` of as many bytes, keeping its queue in memory only: what this
 * machine gives when nothing is validated, stored or synced. Row 3c: what one command appends to
 * the data files with 4 and with 1,000 stations waiting.
 */
import { rm } from 'node:fs/promises';
import { startServer } from '../server/app.js';
import type { FileCounters, ServerKind } from './child-protocol.js';
import { ADMIN_PASSWORD, ADMIN_USERNAME, type ChildServer, makeTempDir, withServer } from './child-server.js';
import { callsignFor } from './callsigns.js';
import { RpcClient } from './client.js';
import { cpuMs } from './proc.js';
import { formatCount, formatMs, formatRatio, mean, percentile } from './stats.js';
import { type BenchResult, NO_BASELINE, verdict } from './table.js';
import { now } from './timing.js';

const QUEUE_CAPACITY = 1_000;
const MEASURE_MS = 3_000;
const MAX_BATCHES = 20;
const GOAL_PER_SECOND_10_CLIENTS = 2_000;

interface RegistrationFigures {
  clients: number;
  registrations: number;
  measuredMs: number;
  perSecond: number;
  latencies: number[];
  /** Mean latency while the queue held 0–99 and 900–999 stations. */
  earlyMeanMs: number;
  lateMeanMs: number;
  /** Syncs (all files) and bytes appended to state.db while registrations ran. */
  syncs: number;
  stateBytes: number;
  /** Share of one core the server child used while registrations ran. */
  serverCpuShare: number;
  /** Bytes of broadcasts one caller connection received per registration. */
  broadcastBytes: number;
}

const syncsIn = (files: FileCounters) => Object.values(files).reduce((sum, file) => sum + file.syncs, 0);
const appendedTo = (files: FileCounters, name: string) => files[name]?.bytesAppended ?? 0;

/**
 * Runs `body` with a logged-in admin (the system on, capacity 1,000, the queue empty) and
 * `clientCount` caller connections; closes them all afterwards. The bare server has no login.
 */
async function withCallers<T>(
  server: ChildServer,
  clientCount: number,
  body: (admin: RpcClient, token: string | undefined, clients: RpcClient[]) => Promise<T>,
): Promise<T> {
  const admin = await RpcClient.connect(server.url);
  const clients: RpcClient[] = [];
  try {
    const token = server.kind === 'pileup' ? await admin.login(ADMIN_USERNAME, ADMIN_PASSWORD) : undefined;
    await admin.expect({ type: 'admin_toggle_system', active: true, session_token: token });
    await admin.expect({ type: 'admin_set_max_queue_size', max_queue_size: QUEUE_CAPACITY, session_token: token });
    await admin.expect({ type: 'admin_clear_queue', session_token: token });
    for (let i = 0; i < clientCount; i += 1) clients.push(await RpcClient.connect(server.url));
    return await body(admin, token, clients);
  } finally {
    for (const client of clients) client.close();
    admin.close();
  }
}

function measure(server: ChildServer, clientCount: number): Promise<RegistrationFigures> {
  return withCallers(server, clientCount, async (admin, token, clients) => {

    const latencies: number[] = [];
    const byPosition: number[][] = [[], []];
    let measuredMs = 0;
    let serverCpu = 0;
    let syncs = 0;
    let stateBytes = 0;
    for (let batch = 0; batch < MAX_BATCHES && measuredMs < MEASURE_MS; batch += 1) {
      let next = 0;
      const files0 = await server.files();
      const cpu0 = cpuMs(server.pid);
      const t0 = now();
      await Promise.all(
        clients.map(async (client) => {
          while (next < QUEUE_CAPACITY) {
            const index = next;
            next += 1;
            const sent = now();
            const reply = await client.expect({ type: 'register_callsign', callsign: callsignFor(index) });
            const took = now() - sent;
            latencies.push(took);
            const position = reply.data?.position;
            if (typeof position !== 'number') throw new Error('register_callsign reply without a position');
            if (position <= 100) byPosition[0]?.push(took);
            if (position > QUEUE_CAPACITY - 100) byPosition[1]?.push(took);
          }
        }),
      );
      measuredMs += now() - t0;
      serverCpu += cpuMs(server.pid) - cpu0;
      const files1 = await server.files();
      syncs += syncsIn(files1) - syncsIn(files0);
      stateBytes += appendedTo(files1, 'state.db') - appendedTo(files0, 'state.db');
      const cleared = await admin.expect({ type: 'admin_clear_queue', session_token: token });
      if (cleared.data?.cleared_count !== QUEUE_CAPACITY) {
        throw new Error(`expected ${QUEUE_CAPACITY} stations in the queue, cleared ${String(cleared.data?.cleared_count)}`);
      }
    }
    return {
      clients: clientCount,
      registrations: latencies.length,
      measuredMs,
      perSecond: (latencies.length / measuredMs) * 1000,
      latencies,
      earlyMeanMs: mean(byPosition[0] ?? []),
      lateMeanMs: mean(byPosition[1] ?? []),
      serverCpuShare: serverCpu / measuredMs,
      syncs,
      stateBytes,
      broadcastBytes: clients.reduce((sum, client) => sum + client.broadcastBytes, 0) / clients.length / latencies.length,
    };
  });
}

interface WriteCost {
  waiting: number;
  register: number;
  workNext: number;
  sendQsoState: number;
  sendQsoLog: number;
}

/** Bytes appended by one command of each kind with `waiting` stations in the queue. */
function writeCost(server: ChildServer, waiting: number): Promise<WriteCost> {
  return withCallers(server, 10, async (admin, token, clients) => {
    let next = 0;
    await Promise.all(
      clients.map(async (client) => {
        while (next < waiting - 1) {
          const index = next;
          next += 1;
          await client.expect({ type: 'register_callsign', callsign: callsignFor(index) });
        }
      }),
    );
    const cost = async (command: Record<string, unknown>, file: string) => {
      const before = await server.files();
      await admin.expect({ ...command, session_token: token });
      const after = await server.files();
      return { state: appendedTo(after, 'state.db') - appendedTo(before, 'state.db'), other: appendedTo(after, file) - appendedTo(before, file) };
    };
    const register = await cost({ type: 'register_callsign', callsign: callsignFor(waiting - 1) }, 'state.db');
    const workNext = await cost({ type: 'admin_work_next' }, 'state.db');
    const sendQso = await cost({ type: 'admin_send_qso', callsign: 'EA1ABC', frequency: '14.205', mode: 'SSB', rst_sent: '59', rst_received: '57' }, 'log.db');
    return { waiting, register: register.state, workNext: workNext.state, sendQsoState: sendQso.state, sendQsoLog: sendQso.other };
  });
}

const bytes = (value: number) => `${formatCount(value)} B`;

interface CoreRate {
  callers: number;
  perSecond: number;
  syncsPerRegistration: number;
}

/**
 * Row 3b: the same durable registrations through the core and the store alone, in this process
 * and without WebSocket, so the group commit shows apart from the fan-out of the broadcasts.
 */
async function coreRates(): Promise<CoreRate[]> {
  const dataDir = await makeTempDir('core');
  const server = await startServer({ dataDir, host: '127.0.0.1', port: 0, env: { ADMIN_USERNAME, ADMIN_PASSWORD } });
  try {
    await server.service.toggleSystem(true, 'bench');
    await server.service.setMaxQueueSize(QUEUE_CAPACITY);
    const rates: CoreRate[] = [];
    for (const callers of [1, 10, 100]) {
      let registrations = 0;
      const syncs0 = syncsIn(server.store.stats());
      const t0 = now();
      for (let batch = 0; batch < MAX_BATCHES && now() - t0 < MEASURE_MS; batch += 1) {
        let next = 0;
        await Promise.all(
          Array.from({ length: callers }, async () => {
            while (next < QUEUE_CAPACITY) {
              const index = next;
              next += 1;
              await server.service.register(callsignFor(index));
              registrations += 1;
            }
          }),
        );
        await server.service.clearQueue();
      }
      const ms = now() - t0;
      rates.push({ callers, perSecond: (registrations / ms) * 1000, syncsPerRegistration: (syncsIn(server.store.stats()) - syncs0) / registrations });
    }
    return rates;
  } finally {
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

export async function benchRegistrations(): Promise<BenchResult> {
  const runs: Record<ServerKind, RegistrationFigures>[] = [];
  for (const clientCount of [1, 10]) {
    const bare = await withServer('bare', (server) => measure(server, clientCount));
    runs.push({ bare, pileup: await withServer('pileup', (server) => measure(server, clientCount)) });
  }
  const costs = await withServer('pileup', async (server) => [await writeCost(server, 4), await writeCost(server, QUEUE_CAPACITY)]);
  const [small, big] = costs as [WriteCost, WriteCost];
  const core = await coreRates();
  return {
    rows: [
      ...runs.map(({ bare, pileup: figures }, i) => {
        const goal = figures.clients === 10;
        return {
          benchmark: `3${i === 0 ? '' : 'a'}. durable register_callsign/s, ${figures.clients} client${figures.clients === 1 ? '' : 's'} (queue to ${QUEUE_CAPACITY}; p50 / p99 latency; syncs per acknowledged registration; bare: in memory)`,
          pileup: `${formatCount(figures.perSecond)}/s (${formatMs(percentile(figures.latencies, 50))} / ${formatMs(percentile(figures.latencies, 99))}; ${(figures.syncs / figures.registrations).toFixed(2)} syncs)`,
          bare: `${formatCount(bare.perSecond)}/s (${formatMs(percentile(bare.latencies, 50))} / ${formatMs(percentile(bare.latencies, 99))})`,
          ratio: formatRatio(figures.perSecond / bare.perSecond),
          goal: goal ? `≥ ${formatCount(GOAL_PER_SECOND_10_CLIENTS)}/s` : NO_BASELINE,
          met: goal ? verdict(figures.perSecond >= GOAL_PER_SECOND_10_CLIENTS) : NO_BASELINE,
        };
      }),
      {
        benchmark: '3b. durable registrations/s through the core and store alone (no WebSocket), 1 / 10 / 100 callers (syncs per registration)',
        pileup: core.map((rate) => `${formatCount(rate.perSecond)}/s (${rate.syncsPerRegistration.toFixed(2)})`).join(' / '),
        bare: NO_BASELINE,
        ratio: NO_BASELINE,
        goal: NO_BASELINE,
        met: NO_BASELINE,
      },
      {
        benchmark: '3c. bytes appended per command, 4 / 1,000 waiting: register · work next · send QSO (state.db + log.db)',
        pileup: `${bytes(small.register)} / ${bytes(big.register)} · ${bytes(small.workNext)} / ${bytes(big.workNext)} · ${bytes(small.sendQsoState + small.sendQsoLog)} / ${bytes(big.sendQsoState + big.sendQsoLog)}`,
        bare: NO_BASELINE,
        ratio: NO_BASELINE,
        goal: '< 2 KB at 1,000',
        met: verdict(Math.max(big.register, big.workNext, big.sendQsoState) < 2048),
      },
    ],
    notes: [
      ...runs.map(
        ({ bare, pileup: f }) =>
          `Registrations (${f.clients} client${f.clients === 1 ? '' : 's'}): ${formatCount(f.registrations)} in ${(f.measuredMs / 1000).toFixed(1)} s, ` +
          `${formatCount(f.syncs)} syncs (${(f.registrations / Math.max(1, f.syncs)).toFixed(1)} registrations per sync), ` +
          `server CPU busy ${Math.round(f.serverCpuShare * 100)}% of one core (bare: ${Math.round(bare.serverCpuShare * 100)}%); ` +
          `mean latency ${formatMs(f.earlyMeanMs)} at queue positions 1–100 vs ${formatMs(f.lateMeanMs)} at ${QUEUE_CAPACITY - 99}–${QUEUE_CAPACITY}; ` +
          `${formatCount(f.stateBytes / Math.max(1, f.registrations))} B appended to state.db per registration; ` +
          `each caller connection received ${formatCount(f.broadcastBytes)} B of broadcasts per registration (bare: ${formatCount(bare.broadcastBytes)} B).`,
      ),
      `Bytes appended with 4 / 1,000 waiting: register ${bytes(small.register)} / ${bytes(big.register)}, work next ${bytes(small.workNext)} / ${bytes(big.workNext)}, ` +
        `send QSO ${bytes(small.sendQsoState)} / ${bytes(big.sendQsoState)} to state.db and ${bytes(small.sendQsoLog)} / ${bytes(big.sendQsoLog)} to log.db ` +
        '(the QSO it completes first is logged in the same write).',
    ],
  };
}
