/**
 * A disk that fails under the running server, for real (tests/support/failing-disk.ts): the
 * headless server's data folder is on an ext4 that turns read-only (EROFS) or is shut down (EIO)
 * while the server holds its files open. A registration after that is refused with
 * STORAGE_FAILED and the OS's reason, changes nothing, and the operator's banner turns red; the
 * server stops when told to; and once the disk is back (remounted, as after a reboot) the server
 * starts with exactly what it acknowledged before.
 */
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { killAllClis, startCli, type StartedCli } from '../support/cli-process.js';
import { type FailingDisk, mountFailingDisk } from '../support/failing-disk.js';
import { useProcessSuite } from '../support/fixture.js';
import { ADMIN, TestClient } from '../support/harness.js';

type Json = Record<string, unknown>;

const ENV = { ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password };

useProcessSuite();

let available = false;
let disk: FailingDisk | null = null;
const clients: TestClient[] = [];

beforeAll(async () => {
  // Checked once: whether this machine can mount one at all (the tests mount their own).
  const probe = await mountFailingDisk();
  await probe?.unmount();
  available = probe !== null;
}, 60_000);

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await killAllClis();
  await disk?.unmount();
  disk = null;
}, 60_000);

async function operatorOf(cli: StartedCli): Promise<TestClient> {
  const operator = await TestClient.connect(cli.url);
  clients.push(operator);
  await operator.login();
  return operator;
}

async function stopped(cli: StartedCli): Promise<number | null> {
  cli.child.kill('SIGTERM');
  return (await cli.exited).code;
}

describe('a disk that fails under the server', () => {
  for (const failure of [
    { name: 'turns read-only', reason: 'EROFS', fail: (failing: FailingDisk) => failing.turnReadOnly() },
    { name: 'is shut down', reason: 'EIO', fail: (failing: FailingDisk) => failing.shutDown() },
  ]) {
    it(`${failure.name}: refuses with STORAGE_FAILED (${failure.reason}), changes nothing, and after the disk is back starts with what it acknowledged`, async (context) => {
      if (!available) return context.skip();
      disk = await mountFailingDisk();
      if (disk === null) throw new Error('the failing disk could be mounted once but not again');
      const dataDir = path.join(disk.dir, 'pileup-data');
      const cli = await startCli(dataDir, ENV);
      const operator = await operatorOf(cli);
      await operator.admin('admin_toggle_system', { active: true });
      for (const callsign of ['W1AW', 'DL1ABC']) expect((await operator.request('register_callsign', { callsign })).type).toBe('success');
      const red = operator.nextBroadcast('storage_update', (m) => (m.data as Json).writable === false);

      await failure.fail(disk);
      const refused = await operator.request('register_callsign', { callsign: 'EA1ABC' });

      expect(refused).toMatchObject({ type: 'error', error_code: 'STORAGE_FAILED', details: { reason: failure.reason, file: 'state.db' } });
      expect(await operator.queueCallsigns()).toEqual(['W1AW', 'DL1ABC']);
      expect((await red).data).toMatchObject({ writable: false, reason: failure.reason });
      // Told to stop, it stops, and says why it could not stop cleanly (its last compaction and
      // the lock's removal cannot be written; the files stay as they are).
      expect(await stopped(cli)).toBe(1);
      expect(cli.stderr()).toContain(failure.reason);

      await disk.remount();
      const again = await startCli(dataDir, ENV);
      const after = await operatorOf(again);
      expect(await after.queueCallsigns()).toEqual(['W1AW', 'DL1ABC']);
      expect((await after.request('register_callsign', { callsign: 'EA1ABC' })).type).toBe('success');
      expect(await after.queueCallsigns()).toEqual(['W1AW', 'DL1ABC', 'EA1ABC']);
    }, 60_000);
  }
});
