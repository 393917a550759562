/**
 * One writer per data folder, with two real server processes: a second headless server on a
 * folder in use says who holds it in one line and exits 1, leaving the first one and its data
 * alone; a lock left by a server killed with SIGKILL is taken over by the next start.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCK_FILE } from '../../server/store/data-dir-lock.js';
import { spawnCli, startCli } from '../support/cli-process.js';
import { ADMIN, TestClient } from '../support/harness.js';
import { useProcessSuite } from '../support/fixture.js';

const ENV = { ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password };
const suite = useProcessSuite();
const freshDir = () => suite.freshDir();

async function operatorOn(url: string): Promise<TestClient> {
  const client = await TestClient.connect(url);
  suite.keep(client);
  await client.login();
  return client;
}

async function lockHolderPid(dataDir: string): Promise<number> {
  return (JSON.parse(await readFile(path.join(dataDir, LOCK_FILE), 'utf8')) as { pid: number }).pid;
}

describe('one server per data folder', () => {
  it('a second headless server on a folder in use prints one line naming the folder and the holder, and exits 1', async () => {
    const dataDir = await freshDir();
    const first = await startCli(dataDir, ENV);
    const operator = await operatorOn(first.url);
    await operator.admin('admin_toggle_system', { active: true });
    expect((await operator.request('register_callsign', { callsign: 'W1AW' })).type).toBe('success');

    const second = spawnCli(['--host', '127.0.0.1', '--port', '0', '--data-dir', dataDir], ENV);
    expect(await second.exited).toEqual({ code: 1, signal: null });
    const lines = second.stderr().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^pileup-buster: the data directory .+ is in use by another Pileup Buster \(pid \d+ on .+, since .+\)/);
    expect(lines[0]).toContain(dataDir);
    expect(lines[0]).toContain(`pid ${first.child.pid}`);
    expect(second.stdout()).not.toContain('WebSocket API:');

    // The first server kept its folder and serves on.
    expect(await lockHolderPid(dataDir)).toBe(first.child.pid);
    expect((await operator.request('register_callsign', { callsign: 'DL1ABC' })).type).toBe('success');
    const status = (await operator.request('get_queue_status')).data as { queue: { callsign: string }[] };
    expect(status.queue.map((entry) => entry.callsign)).toEqual(['W1AW', 'DL1ABC']);
  });

  it('the next start takes over the lock of a server killed with SIGKILL, with every acknowledged change', async () => {
    const dataDir = await freshDir();
    const first = await startCli(dataDir, ENV);
    const operator = await operatorOn(first.url);
    await operator.admin('admin_toggle_system', { active: true });
    expect((await operator.request('register_callsign', { callsign: 'EA1ABC' })).type).toBe('success');
    first.child.kill('SIGKILL');
    await first.exited;
    expect(await lockHolderPid(dataDir)).toBe(first.child.pid);

    const next = await startCli(dataDir, ENV);
    expect(await lockHolderPid(dataDir)).toBe(next.child.pid);
    const status = (await (await operatorOn(next.url)).request('get_queue_status')).data as { queue: { callsign: string }[] };
    expect(status.queue.map((entry) => entry.callsign)).toEqual(['EA1ABC']);
  });

  it('a clean stop releases the folder', async () => {
    const dataDir = await freshDir();
    const first = await startCli(dataDir, ENV);
    first.child.kill('SIGTERM');
    expect(await first.exited).toEqual({ code: 0, signal: null });
    await expect(readFile(path.join(dataDir, LOCK_FILE))).rejects.toMatchObject({ code: 'ENOENT' });
    await startCli(dataDir, ENV);
  });
});
