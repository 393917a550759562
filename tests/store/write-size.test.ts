/**
 * A change costs the change, not the state: with 1,000 callers waiting, a registration, working
 * the next station and a QSO from logging software each append well under 2 KB to state.db —
 * about what they append with 4 waiting — and a restart still restores the whole queue in order.
 */
import { rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultControls } from '../../server/core/abuse-controls.js';
import type { PersistedState } from '../../server/core/storage.js';
import { PileupStore } from '../../server/store/pileup-store.js';
import { isCompacted } from '../support/data-files.js';
import { makeDataDir, startTestServer, TestClient, type TestServer } from '../support/harness.js';

const LIMIT_BYTES = 2048;
let server: TestServer | undefined;
const clients: TestClient[] = [];
const dirs: string[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await server?.close();
  server = undefined;
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

const callsign = (n: number) => `K${100 + n}AB`;

/** A data folder with the system on and `waiting` stations in the queue (capacity 1,000). */
async function folderWithQueue(waiting: number): Promise<string> {
  const dataDir = await makeDataDir();
  dirs.push(dataDir);
  const store = await PileupStore.open(dataDir);
  const state: PersistedState = {
    active: true,
    queue: Array.from({ length: waiting }, (_, n) => ({ callsign: callsign(n), timestamp: new Date(Date.UTC(2025, 6, 23, 10, 0, n % 60)).toISOString() })),
    current: null,
    frequency: '14.205',
    mode: 'SSB',
    split: null,
    max_queue_size: 1000,
    controls: defaultControls(),
  };
  await store.commit({ state });
  await store.close();
  return dataDir;
}

async function stateBytes(dataDir: string): Promise<number> {
  return (await stat(path.join(dataDir, 'state.db'))).size;
}

/** Bytes state.db grows by while `change` runs. */
async function appended(dataDir: string, change: () => Promise<unknown>): Promise<number> {
  const before = await stateBytes(dataDir);
  await change();
  return (await stateBytes(dataDir)) - before;
}

async function operatorOn(running: TestServer): Promise<TestClient> {
  const operator = await TestClient.connect(running.url);
  clients.push(operator);
  await operator.login();
  return operator;
}

async function costs(waiting: number): Promise<{ register: number; workNext: number; sendQso: number; queue: string[] }> {
  const dataDir = await folderWithQueue(waiting);
  server = await startTestServer({ dataDir });
  const operator = await operatorOn(server);
  const register = await appended(dataDir, async () => {
    expect(await operator.request('register_callsign', { callsign: 'ZZ9ZZ' })).toMatchObject({ data: { position: waiting + 1 } });
  });
  const workNext = await appended(dataDir, () => operator.admin('admin_work_next'));
  const sendQso = await appended(dataDir, () => operator.admin('admin_send_qso', { callsign: 'EA1ABC', rst_sent: '59', rst_received: '57' }));
  const queue = ((await operator.admin('admin_get_queue')).data as { queue: { callsign: string }[] }).queue.map((e) => e.callsign);
  return { register, workNext, sendQso, queue };
}

describe('what a change appends to state.db', () => {
  it('with 1,000 callers waiting, a registration, work next and a QSO each append well under 2 KB', async () => {
    const big = await costs(999);
    expect(big.register).toBeLessThan(LIMIT_BYTES);
    expect(big.workNext).toBeLessThan(LIMIT_BYTES);
    expect(big.sendQso).toBeLessThan(LIMIT_BYTES);
    // One queue document: about a hundred bytes.
    expect(big.register).toBeLessThan(200);
    await server?.close();
    server = undefined;

    const small = await costs(3);
    // The same as with a short queue, give or take a digit or two of the sequence numbers.
    expect(Math.abs(big.register - small.register)).toBeLessThan(8);
    expect(Math.abs(big.workNext - small.workNext)).toBeLessThan(8);
  });

  it('restores a 1,000-station queue in order after a restart, and compacts it to one line per station', async () => {
    const dataDir = await folderWithQueue(999);
    server = await startTestServer({ dataDir });
    const operator = await operatorOn(server);
    await operator.request('register_callsign', { callsign: 'ZZ9ZZ' });
    await operator.admin('admin_remove_callsign', { callsign: callsign(500) });
    const before = ((await operator.admin('admin_get_queue')).data as { queue: unknown[] }).queue;
    expect(before).toHaveLength(999);

    server = await server.restart();
    expect(await isCompacted(dataDir, 'state.db')).toBe(true);
    const after = await operatorOn(server);
    expect(((await after.admin('admin_get_queue')).data as { queue: unknown[] }).queue).toEqual(before);
  });
});
