/**
 * ADIF import rows: a 60 MB upload POSTed to `/api/log.adi` of a Pileup server child while another
 * client pings once every 20 ms, twice: a file that repeats 1,000 QSOs over and over (issue 10's
 * case: the same records many times, which must count once), and a file of ~230,000 different
 * QSOs (all of them then stay in the log, in memory). Figures: import time, the server's peak
 * resident memory (VmHWM), and the ping round trips while it ran.
 */
import { generateAdif, peakRssKiB, uploadWhilePinging } from './adif-upload.js';
import { ADMIN_PASSWORD, ADMIN_USERNAME, withServer } from './child-server.js';
import { RpcClient } from './client.js';
import { formatMiB, formatMs } from './stats.js';
import { type BenchResult, NO_BASELINE, type Row, verdict } from './table.js';

const FILE_BYTES = 60 * 1024 * 1024;
const RSS_GOAL_KIB = 300 * 1024;
const PING_GOAL_MS = 100;

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN;
}

async function run(label: string, distinct: number): Promise<Row[]> {
  return withServer('pileup', async (server) => {
    const admin = await RpcClient.connect(server.url);
    const token = await admin.login(ADMIN_USERNAME, ADMIN_PASSWORD);
    const file = generateAdif(FILE_BYTES, distinct);
    const upload = await uploadWhilePinging(server.url, token, file);
    if (upload.status !== 200) throw new Error(`import answered ${upload.status}: ${upload.body}`);
    const { imported, repeated } = JSON.parse(upload.body) as { imported: number; repeated: number };
    const peak = peakRssKiB(server.pid);
    const p99 = percentile(upload.pings, 0.99);
    const slowest = Math.max(...upload.pings);
    const row = (benchmark: string, value: string, goal: string, met: string): Row => ({ benchmark, pileup: value, bare: NO_BASELINE, ratio: NO_BASELINE, goal, met });
    return [
      row(`ADIF 60 MB, ${label}: import time (${imported.toLocaleString('en-US')} QSOs, ${repeated.toLocaleString('en-US')} repeats)`, formatMs(upload.durationMs), '—', '—'),
      row(`ADIF 60 MB, ${label}: server peak RSS`, formatMiB(peak), `< ${formatMiB(RSS_GOAL_KIB)}`, verdict(peak < RSS_GOAL_KIB)),
      row(`ADIF 60 MB, ${label}: ping p50 / p99 during import`, `${formatMs(percentile(upload.pings, 0.5))} / ${formatMs(p99)}`, `< ${PING_GOAL_MS} ms`, verdict(p99 < PING_GOAL_MS)),
      row(`ADIF 60 MB, ${label}: slowest ping (${upload.pings.length} pings)`, formatMs(slowest), `< ${PING_GOAL_MS} ms`, verdict(slowest < PING_GOAL_MS)),
    ];
  });
}

export async function benchAdifImport(): Promise<BenchResult> {
  const repeated = await run('1,000 QSOs repeated', 1_000);
  const distinct = await run('every QSO different', Number.POSITIVE_INFINITY);
  return {
    rows: [...repeated, ...distinct],
    notes: [
      'ADIF import: generated WSJT-X-style records POSTed with Content-Length to /api/log.adi; one WebSocket `ping` at a time, every 20 ms, on a second connection; peak RSS is VmHWM of the server child.',
    ],
  };
}
