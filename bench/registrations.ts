/**
 * Row 3: durable registrations per second. Pileup answers `register_callsign` only after NeDB
 * appended the new state, and every registration broadcasts a `queue_update` to every
 * connection. The queue capacity is raised to 1,000; clients register distinct callsigns until
 * it is full, the admin clears it (not timed), and again, for a fixed measured time.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { ADMIN_PASSWORD, ADMIN_USERNAME, type ChildServer, withServer } from './child-server.js';
import { callsignFor } from './callsigns.js';
import { RpcClient } from './client.js';
import { cpuMs } from './proc.js';
import { formatCount, formatMs, mean, percentile } from './stats.js';
import { type BenchResult, NO_BASELINE } from './table.js';
import { now } from './timing.js';

const QUEUE_CAPACITY = 1_000;
const MEASURE_MS = 3_000;
const MAX_BATCHES = 20;

interface RegistrationFigures {
  clients: number;
  registrations: number;
  measuredMs: number;
  perSecond: number;
  latencies: number[];
  /** Mean latency while the queue held 0–99 and 900–999 stations. */
  earlyMeanMs: number;
  lateMeanMs: number;
  stateFileBytes: number;
  /** Share of one core the server child used while registrations ran. */
  serverCpuShare: number;
}

async function fileSize(file: string): Promise<number> {
  return stat(file).then(
    (s) => s.size,
    () => 0,
  );
}

async function measure(server: ChildServer, clientCount: number): Promise<RegistrationFigures> {
  const admin = await RpcClient.connect(server.url);
  const clients: RpcClient[] = [];
  try {
    const token = await admin.login(ADMIN_USERNAME, ADMIN_PASSWORD);
    await admin.expect({ type: 'admin_toggle_system', active: true, session_token: token });
    await admin.expect({ type: 'admin_set_max_queue_size', max_queue_size: QUEUE_CAPACITY, session_token: token });
    await admin.expect({ type: 'admin_clear_queue', session_token: token });
    for (let i = 0; i < clientCount; i += 1) clients.push(await RpcClient.connect(server.url));

    const latencies: number[] = [];
    const byPosition: number[][] = [[], []];
    let measuredMs = 0;
    let serverCpu = 0;
    for (let batch = 0; batch < MAX_BATCHES && measuredMs < MEASURE_MS; batch += 1) {
      let next = 0;
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
      stateFileBytes: server.dataDir === null ? 0 : await fileSize(path.join(server.dataDir, 'state.db')),
    };
  } finally {
    for (const client of clients) client.close();
    admin.close();
  }
}

export async function benchRegistrations(): Promise<BenchResult> {
  const runs: RegistrationFigures[] = [];
  for (const clientCount of [1, 10]) runs.push(await withServer('pileup', (server) => measure(server, clientCount)));
  return {
    rows: runs.map((figures, i) => ({
      benchmark: `3${i === 0 ? '' : 'a'}. durable register_callsign/s, ${figures.clients} client${figures.clients === 1 ? '' : 's'} (queue to ${QUEUE_CAPACITY}, p50 / p99 latency)`,
      pileup: `${formatCount(figures.perSecond)}/s (${formatMs(percentile(figures.latencies, 50))} / ${formatMs(percentile(figures.latencies, 99))})`,
      bare: NO_BASELINE,
      ratio: NO_BASELINE,
      goal: NO_BASELINE,
      met: NO_BASELINE,
    })),
    notes: runs.map(
      (f) =>
        `Registrations (${f.clients} client${f.clients === 1 ? '' : 's'}): ${formatCount(f.registrations)} in ${(f.measuredMs / 1000).toFixed(1)} s, ` +
        `server CPU busy ${Math.round(f.serverCpuShare * 100)}% of one core; ` +
        `mean latency ${formatMs(f.earlyMeanMs)} at queue positions 1–100 vs ${formatMs(f.lateMeanMs)} at ${QUEUE_CAPACITY - 99}–${QUEUE_CAPACITY}; ` +
        `state.db grew to ${(f.stateFileBytes / 1024 / 1024).toFixed(1)} MiB (${formatCount(f.stateFileBytes / Math.max(1, f.registrations))} B appended per registration).`,
    ),
  };
}
