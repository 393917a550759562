/**
 * Row 5: resident memory of the server process (a child, so the figure is its own) with no
 * clients and with 1,000 idle connections, after a full GC in the child and a short settle.
 */
import type { ServerKind } from './child-protocol.js';
import { type ChildServer, withServer } from './child-server.js';
import { closeAll, openSockets } from './client.js';
import { rssKiB } from './proc.js';
import { formatMiB, formatRatio } from './stats.js';
import { type BenchResult, type Row } from './table.js';
import { sleep } from './timing.js';

const IDLE_CLIENTS = 1_000;
const CONNECT_CONCURRENCY = 50;
const SETTLE_MS = 500;

interface MemoryFigures {
  idleKiB: number;
  loadedKiB: number;
}

async function settledRss(server: ChildServer): Promise<number> {
  await server.gc();
  await sleep(SETTLE_MS);
  return rssKiB(server.pid);
}

function run(kind: ServerKind): Promise<MemoryFigures> {
  return withServer(kind, async (server) => {
    const idleKiB = await settledRss(server);
    const sockets = await openSockets(server.url, IDLE_CLIENTS, CONNECT_CONCURRENCY);
    try {
      return { idleKiB, loadedKiB: await settledRss(server) };
    } finally {
      closeAll(sockets);
    }
  });
}

export async function benchIdleMemory(): Promise<BenchResult> {
  const bare = await run('bare');
  const pileup = await run('pileup');
  const perClient = (f: MemoryFigures) => (f.loadedKiB - f.idleKiB) / IDLE_CLIENTS;
  const row = (benchmark: string, p: number, b: number, format: (kib: number) => string): Row => ({
    benchmark,
    pileup: format(p),
    bare: format(b),
    ratio: formatRatio(p / b),
    goal: '—',
    met: '—',
  });
  const kib = (value: number) => `${value.toFixed(1)} KiB`;
  return {
    rows: [
      row('5. server RSS, 0 clients', pileup.idleKiB, bare.idleKiB, formatMiB),
      row(`5a. server RSS, ${IDLE_CLIENTS.toLocaleString('en-US')} idle clients`, pileup.loadedKiB, bare.loadedKiB, formatMiB),
      row('5b. RSS per idle client', perClient(pileup), perClient(bare), kib),
    ],
    notes: [`Memory: VmRSS from /proc/<pid>/status of the server child after global.gc() and ${SETTLE_MS} ms settle.`],
  };
}
