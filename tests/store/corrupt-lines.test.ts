import { appendFile, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { corruptBackups, dataLines, type DataFile } from '../support/data-files.js';
import { activeAdmin, makeDataDir, startTestServer, TestClient, type TestServer } from '../support/harness.js';

let server: TestServer | undefined;
const dirs: string[] = [];
const clients: TestClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await server?.dispose();
  server = undefined;
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** What a write cut short by a crash leaves: the start of a document and no newline. */
const TORN = '{"_id":"pileup","active":false,"queue":[{"callsign":"ZZ9';

/** A data dir with an active system, W1AW and DL1ABC waiting, and `qsos` logged QSOs; closed. */
async function populatedDataDir(qsos: string[] = []): Promise<{ dataDir: string; token: string }> {
  const dataDir = await makeDataDir();
  dirs.push(dataDir);
  const first = await startTestServer({ dataDir });
  const admin = await activeAdmin(first);
  await admin.request('register_callsign', { callsign: 'W1AW' });
  await admin.request('register_callsign', { callsign: 'DL1ABC' });
  for (const callsign of qsos) await admin.admin('admin_send_qso', { callsign });
  const token = admin.token ?? '';
  await admin.close();
  await first.close();
  return { dataDir, token };
}

async function connect(s: TestServer, token?: string): Promise<TestClient> {
  const client = await TestClient.connect(s.url);
  client.token = token;
  clients.push(client);
  return client;
}

async function waitingCallsigns(client: TestClient): Promise<string[]> {
  const status = (await client.request('get_queue_status')).data as { queue: { callsign: string }[] };
  return status.queue.map((entry) => entry.callsign);
}

async function loggedCallsigns(client: TestClient): Promise<string[]> {
  const log = (await client.admin('admin_get_log', { limit: 500 })).data as { entries: { callsign: string }[] };
  return log.entries.map((entry) => entry.callsign).sort();
}

describe('start-up with a torn or corrupt line', () => {
  it('skips a half-written last line of state.db, reports it, keeps a backup and loads the last good state', async () => {
    const { dataDir } = await populatedDataDir();
    const goodLines = await dataLines(dataDir, 'state.db');
    await appendFile(path.join(dataDir, 'state.db'), TORN);
    const original = await readFile(path.join(dataDir, 'state.db'), 'utf8');

    server = await startTestServer({ dataDir });

    expect(server.storeReport.skipped).toEqual([
      { file: 'state.db', line: goodLines.length + 1, preview: expect.stringContaining('"_id":"pileup"') as unknown },
    ]);
    const backups = await corruptBackups(dataDir, 'state.db');
    expect(backups).toHaveLength(1);
    expect(server.storeReport.backups).toEqual(backups);
    expect(await readFile(backups[0] ?? '', 'utf8')).toBe(original);
    const caller = await connect(server);
    expect(await waitingCallsigns(caller)).toEqual(['W1AW', 'DL1ABC']);
    expect(((await caller.request('get_queue_status')).data as { system_active: boolean }).system_active).toBe(true);
  });

  it('skips a half-written last line of log.db and keeps every complete QSO', async () => {
    const { dataDir, token } = await populatedDataDir(['EA1ABC', 'JA1XYZ']);
    await appendFile(path.join(dataDir, 'log.db'), '{"_id":"0000abc","callsign":"VK2');

    server = await startTestServer({ dataDir });

    expect(server.storeReport.skipped).toMatchObject([{ file: 'log.db' }]);
    expect(await corruptBackups(dataDir, 'log.db')).toHaveLength(1);
    expect(await loggedCallsigns(await connect(server, token))).toEqual(['EA1ABC', 'JA1XYZ']);
  });

  it('loads a five-line file with one bad line in the middle (more than NeDB tolerates by default)', async () => {
    const { dataDir, token } = await populatedDataDir(['EA1ABC', 'JA1XYZ', 'VK2DEF', 'G0ABC']);
    const docs = (await dataLines(dataDir, 'log.db')).filter((line) => line.includes('"callsign"'));
    expect(docs).toHaveLength(4);
    // The index line is left out so the file is exactly five lines; the store recreates the index.
    const lines = [docs[0], docs[1], 'this is not json {', docs[2], docs[3]];
    await writeFile(path.join(dataDir, 'log.db'), `${lines.join('\n')}\n`);

    server = await startTestServer({ dataDir });

    expect(server.storeReport.skipped).toEqual([{ file: 'log.db', line: 3, preview: 'this is not json {' }]);
    expect(await corruptBackups(dataDir, 'log.db')).toHaveLength(1);
    expect(await loggedCallsigns(await connect(server, token))).toEqual(['EA1ABC', 'G0ABC', 'JA1XYZ', 'VK2DEF']);
  });

  it('starts with a torn line in every data file and still has the queue, the log and the credentials; sessions end', async () => {
    const { dataDir, token } = await populatedDataDir(['EA1ABC']);
    const files: DataFile[] = ['state.db', 'log.db', 'sessions.db', 'settings.db'];
    for (const file of files) await appendFile(path.join(dataDir, file), '{"_id":"torn","x":');

    server = await startTestServer({ dataDir });

    expect(server.storeReport.skipped.map((s) => s.file).sort()).toEqual([...files].sort());
    expect(server.storeReport.backups).toHaveLength(4);
    // A damaged line in sessions.db may have been a logout: every session ends (fail closed).
    expect(server.sessions.endedByDamage).toBe(true);
    const stale = await connect(server, token);
    expect((await stale.adminRaw('admin_ping')).error_code).toBe('AUTHENTICATION_REQUIRED');
    const admin = await connect(server);
    await admin.login();
    expect((await admin.admin('admin_ping')).type).toBe('pong');
    expect(await waitingCallsigns(admin)).toEqual(['W1AW', 'DL1ABC']);
    expect(await loggedCallsigns(admin)).toEqual(['EA1ABC']);
  });

  it('reports every line NeDB drops, including a bare null', async () => {
    const { dataDir, token } = await populatedDataDir(['EA1ABC', 'JA1XYZ']);
    const docs = (await dataLines(dataDir, 'log.db')).filter((line) => line.includes('"callsign"'));
    await writeFile(path.join(dataDir, 'log.db'), `${[docs[0], 'null', docs[1]].join('\n')}\n`);

    server = await startTestServer({ dataDir });

    expect(server.storeReport.skipped).toEqual([{ file: 'log.db', line: 2, preview: 'null' }]);
    expect(await loggedCallsigns(await connect(server, token))).toEqual(['EA1ABC', 'JA1XYZ']);
  });

  it('never overwrites an earlier backup, even when the clock reads the same time', async () => {
    const { dataDir } = await populatedDataDir();
    const clock = (): number => Date.parse('2025-07-23T10:00:00.000Z');
    await appendFile(path.join(dataDir, 'state.db'), TORN);
    const firstOriginal = await readFile(path.join(dataDir, 'state.db'), 'utf8');
    server = await startTestServer({ dataDir, clock });
    await server.close();
    await appendFile(path.join(dataDir, 'state.db'), '{"second":');

    server = await startTestServer({ dataDir, clock });

    const backups = (await corruptBackups(dataDir, 'state.db')).sort();
    expect(backups).toHaveLength(2);
    expect(server.storeReport.backups).toHaveLength(1);
    expect(await readFile(backups[0] ?? '', 'utf8')).toBe(firstOriginal);
  });

  it('rewrites the file without the bad line, so the next start reports nothing', async () => {
    const { dataDir } = await populatedDataDir();
    await appendFile(path.join(dataDir, 'state.db'), TORN);
    server = await startTestServer({ dataDir });
    expect(server.storeReport.skipped).toHaveLength(1);

    server = await server.restart();
    expect(server.storeReport).toEqual({ skipped: [], backups: [] });
    expect(await waitingCallsigns(await connect(server))).toEqual(['W1AW', 'DL1ABC']);
  });
});
