/**
 * A full disk, for real: the data folder lives on a 1 MiB tmpfs the test mounts and fills up.
 * A write the disk refuses leaves nothing behind (no fragment for the next write to land
 * behind), is refused with STORAGE_FAILED and the OS's reason, changes nothing in memory, and
 * turns the operator's storage banner red; once space is back the server recovers by itself,
 * and a restart restores exactly what was acknowledged.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dataLines, type DataFile } from '../support/data-files.js';
import { activeAdmin, startTestServer, TestClient, type TestServer } from '../support/harness.js';
import { mountTinyDisk, type TinyDisk } from '../support/tiny-disk.js';

type Json = Record<string, unknown>;

let disk: TinyDisk | null = null;
let server: TestServer | undefined;
const clients: TestClient[] = [];
let counter = 0;

beforeAll(async () => {
  disk = await mountTinyDisk('1m');
}, 30_000);

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await disk?.free();
  await server?.close();
  server = undefined;
});

afterAll(async () => {
  await disk?.unmount();
});

/** A server whose data folder is a fresh folder on the tiny disk. */
async function serverOnTinyDisk(): Promise<{ running: TestServer; operator: TestClient }> {
  if (disk === null) throw new Error('no tiny disk');
  counter += 1;
  const running = await startTestServer({ dataDir: path.join(disk.dir, `data-${counter}`), storageProbeMs: 50 });
  server = running;
  const operator = await activeAdmin(running);
  clients.push(operator);
  await operator.admin('admin_set_max_queue_size', { max_queue_size: 1000 });
  return { running, operator };
}

async function size(running: TestServer, file: DataFile): Promise<number> {
  return (await stat(path.join(running.dataDir, file))).size;
}

/** Every line of the file is a whole document, and the file ends with a newline: nothing torn. */
async function expectWholeLines(running: TestServer, file: DataFile): Promise<void> {
  const text = await readFile(path.join(running.dataDir, file), 'utf8');
  if (text !== '') expect(text.endsWith('\n')).toBe(true);
  for (const line of await dataLines(running.dataDir, file)) expect(() => JSON.parse(line) as unknown).not.toThrow();
}

/**
 * Registers stations until state.db's last page has less room left than one more queue line,
 * so the write that overflows the disk is cut short in the middle (tmpfs hands out whole pages).
 */
async function registerUntilPageAlmostFull(running: TestServer, operator: TestClient): Promise<string[]> {
  const acknowledged: string[] = [];
  for (let n = 100; n < 400; n++) {
    const room = (4096 - ((await size(running, 'state.db')) % 4096)) % 4096;
    if (room > 0 && room < 60) return acknowledged;
    const callsign = `K${n}AB`;
    expect((await operator.request('register_callsign', { callsign })).type).toBe('success');
    acknowledged.push(callsign);
  }
  throw new Error('state.db never came close to a page boundary');
}

describe('a full disk', () => {
  it('refuses a registration with STORAGE_FAILED, leaves no fragment, changes nothing, and recovers by itself', async (context) => {
    if (disk === null) return context.skip();
    const { running, operator } = await serverOnTinyDisk();
    const acknowledged = await registerUntilPageAlmostFull(running, operator);
    const before = await operator.queueCallsigns();
    const bytes = await size(running, 'state.db');
    const failing = operator.nextBroadcast('storage_update', (m) => (m.data as Json).writable === false);

    await disk.fill();
    const caller = await TestClient.connect(running.url);
    clients.push(caller);
    const refused = await caller.request('register_callsign', { callsign: 'ZZ9ZZ' });

    expect(refused).toMatchObject({ type: 'error', error_code: 'STORAGE_FAILED', details: { reason: 'ENOSPC', file: 'state.db' } });
    expect(refused.message).toBe('Could not save to state.db: no space left on the disk; nothing was changed');
    expect(await size(running, 'state.db')).toBe(bytes);
    await expectWholeLines(running, 'state.db');
    expect(await operator.queueCallsigns()).toEqual(before);
    expect((await failing).data).toMatchObject({ writable: false, reason: 'ENOSPC', file: 'state.db' });
    expect(((await operator.admin('admin_get_status')).data as Json).storage).toMatchObject({ writable: false, reason: 'ENOSPC' });
    // Only the operator hears about it.
    expect(caller.broadcasts('storage_update')).toEqual([]);

    // Space back: the probe notices without any other write, and the same request succeeds.
    const recovered = operator.nextBroadcast('storage_update', (m) => (m.data as Json).writable === true);
    await disk.free();
    expect((await recovered).data).toEqual({ writable: true, reason: null, message: null, file: null, since: null });
    expect(await caller.request('register_callsign', { callsign: 'ZZ9ZZ' })).toMatchObject({ type: 'success', data: { callsign: 'ZZ9ZZ' } });
    await expectWholeLines(running, 'state.db');

    server = await running.restart({ storageProbeMs: 50 });
    const after = await TestClient.connect(server.url);
    clients.push(after);
    expect(await after.queueCallsigns()).toEqual([...acknowledged, 'ZZ9ZZ']);
  });

  it('refuses admin_send_qso with nothing of it in the log or the state, and logs it once space is back', async (context) => {
    if (disk === null) return context.skip();
    const { running, operator } = await serverOnTinyDisk();
    expect((await operator.request('register_callsign', { callsign: 'W1AW' })).type).toBe('success');
    await operator.admin('admin_work_next');
    const logBytes = await size(running, 'log.db');
    const stateBytes = await size(running, 'state.db');

    await disk.fill();
    const refused = await operator.adminRaw('admin_send_qso', { callsign: 'EA1ABC', frequency: '14.205', mode: 'SSB' });

    expect(refused).toMatchObject({ type: 'error', error_code: 'STORAGE_FAILED', details: { reason: 'ENOSPC' } });
    expect(await size(running, 'log.db')).toBe(logBytes);
    expect(await size(running, 'state.db')).toBe(stateBytes);
    await expectWholeLines(running, 'log.db');
    const status = (await operator.request('get_queue_status')).data as Json;
    expect(status.current_qso).toMatchObject({ callsign: 'W1AW' });
    expect(((await operator.admin('admin_get_log')).data as Json).total).toBe(0);

    await disk.free();
    expect((await operator.admin('admin_send_qso', { callsign: 'EA1ABC', frequency: '14.205', mode: 'SSB' })).type).toBe('success');
    server = await running.restart({ storageProbeMs: 50 });
    const after = await TestClient.connect(server.url);
    clients.push(after);
    await after.login();
    const log = (await after.admin('admin_get_log')).data as { entries: { callsign: string }[] };
    // W1AW was completed by the send, then EA1ABC logged: each once.
    expect(log.entries.map((e) => e.callsign).sort()).toEqual(['EA1ABC', 'W1AW']);
    expect(((await after.request('get_queue_status')).data as Json).current_qso).toMatchObject({ callsign: 'EA1ABC' });
  });

  it('refuses a login whose session cannot be stored with STORAGE_FAILED', async (context) => {
    if (disk === null) return context.skip();
    // No login yet: sessions.db is empty, so its first line needs a page the full disk cannot give.
    const running = await startTestServer({ dataDir: path.join(disk.dir, 'data-login'), storageProbeMs: 50 });
    server = running;
    await disk.fill();
    const client = await TestClient.connect(running.url);
    clients.push(client);
    expect(await client.request('auth_request', { username: 'admin', password: 'test-password-123' })).toMatchObject({
      error_code: 'STORAGE_FAILED',
      details: { reason: 'ENOSPC', file: 'sessions.db' },
    });
    await disk.free();
    await client.login();
  });
});
