/**
 * The store writes NeDB's file format itself (one JSON document per line, later lines replace
 * earlier ones, `$$deleted` removes), so it is checked against NeDB itself (@seald-io/nedb via
 * nedb-promises, a development dependency): NeDB reads the files we append, and a data folder
 * written by NeDB — as earlier versions of Pileup Buster did, the whole pileup in one document —
 * loads here unchanged.
 */
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Datastore from 'nedb-promises';
import { afterEach, describe, expect, it } from 'vitest';
import { hashPassword } from '../../server/auth/password.js';
import { PileupStore } from '../../server/store/pileup-store.js';
import { dataLines } from '../support/data-files.js';
import { activeAdmin, makeDataDir, startTestServer, TestClient, type TestServer } from '../support/harness.js';

type Doc = Record<string, unknown> & { _id: string };

let server: TestServer | undefined;
const clients: TestClient[] = [];
const dirs: string[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await server?.close();
  server = undefined;
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pileup-nedb-'));
  dirs.push(dir);
  return dir;
}

/** What NeDB finds in a copy of `file` (its load rewrites the file it opens). */
async function nedbDocs(dataDir: string, file: string): Promise<Doc[]> {
  const copy = path.join(await tempDir(), file);
  await copyFile(path.join(dataDir, file), copy);
  const db = Datastore.create({ filename: copy, corruptAlertThreshold: 0 });
  await db.load();
  return (await db.find<Doc>({})).sort((a, b) => a._id.localeCompare(b._id));
}

function byId(lines: string[]): Doc[] {
  const docs = new Map<string, Doc>();
  for (const line of lines) {
    const doc = JSON.parse(line) as Doc;
    if (doc.$$deleted === true) docs.delete(doc._id);
    else docs.set(doc._id, doc);
  }
  return [...docs.values()].sort((a, b) => a._id.localeCompare(b._id));
}

describe("NeDB's file format", () => {
  it('NeDB reads what the store appended: the same documents, replacements and removals applied', async () => {
    const dataDir = await makeDataDir();
    dirs.push(dataDir);
    server = await startTestServer({ dataDir });
    const admin = await activeAdmin(server);
    clients.push(admin);
    for (const callsign of ['W1AW', 'DL1ABC', 'JA1XYZ']) await admin.request('register_callsign', { callsign });
    await admin.admin('admin_work_next');
    await admin.admin('admin_ban_callsign', { callsign: 'EA1ABC', reason: 'test' });
    await admin.admin('admin_send_qso', { callsign: 'G0ABC' });
    await admin.admin('admin_set_bridges', { wsjtx_port: 0 });
    await admin.request('auth_logout', { session_token: admin.token });

    for (const file of ['state.db', 'log.db', 'sessions.db', 'settings.db']) {
      const lines = await dataLines(dataDir, file as 'state.db');
      expect(await nedbDocs(dataDir, file), file).toEqual(byId(lines));
    }
    const state = await nedbDocs(dataDir, 'state.db');
    expect(state.filter((doc) => doc._id.startsWith('queue:')).map((doc) => doc.callsign)).toEqual(['DL1ABC', 'JA1XYZ']);
    expect(state.find((doc) => doc._id.startsWith('ban:'))).toMatchObject({ callsign: 'EA1ABC', reason: 'test' });
  });

  it('loads a data folder NeDB wrote in the earlier one-document layout, and keeps it across the change to the new one', async () => {
    const dataDir = await makeDataDir();
    dirs.push(dataDir);
    const state = Datastore.create({ filename: path.join(dataDir, 'state.db') });
    const legacy = {
      _id: 'pileup',
      active: true,
      queue: [
        { callsign: 'W1AW', timestamp: '2025-07-23T10:00:00.000Z' },
        { callsign: 'DL1ABC', timestamp: '2025-07-23T10:00:05.000Z' },
      ],
      current: null,
      frequency: '14.205',
      mode: 'SSB',
      split: null,
      max_queue_size: 10,
      controls: {
        registration_paused: false,
        rate_limit_count: 10,
        rate_limit_window_s: 60,
        rate_limit_exempt_loopback: true,
        worked_recently_minutes: 0,
        bans: [{ callsign: 'EA1ABC', reason: null, banned_at: '2025-07-23T09:00:00.000Z' }],
      },
    };
    await state.update({ _id: 'pileup' }, { ...legacy, active: false }, { upsert: true });
    await state.update({ _id: 'pileup' }, legacy, { upsert: true });
    const log = Datastore.create({ filename: path.join(dataDir, 'log.db') });
    await log.insert({
      _id: 'q1',
      qso_id: 'q1',
      callsign: 'G0ABC',
      started_at: '2025-07-23T09:30:00.000Z',
      ended_at: '2025-07-23T09:31:00.000Z',
      source: 'queue',
    });
    const settings = Datastore.create({ filename: path.join(dataDir, 'settings.db') });
    await settings.insert({ _id: 'credentials', username: 'op', password_hash: await hashPassword('nedb-era-password') });

    server = await startTestServer({ dataDir, env: {} });
    expect(server.storeReport.skipped).toEqual([]);
    const operator = await TestClient.connect(server.url);
    clients.push(operator);
    await operator.login({ username: 'op', password: 'nedb-era-password' });
    const status = (await operator.admin('admin_get_status')).data as Record<string, unknown>;
    expect(status).toMatchObject({ system_active: true, max_queue_size: 10, frequency: '14.205', queue: [{ callsign: 'W1AW' }, { callsign: 'DL1ABC' }] });
    expect((await operator.admin('admin_get_controls')).data).toMatchObject({ bans: [{ callsign: 'EA1ABC' }] });
    expect((await operator.admin('admin_get_log')).data).toMatchObject({ total: 1, entries: [{ callsign: 'G0ABC' }] });

    // The first change writes the new layout; nothing is lost on the way.
    await operator.request('register_callsign', { callsign: 'JA1XYZ' });
    server = await server.restart({ env: {} });
    const after = await TestClient.connect(server.url);
    clients.push(after);
    await after.login({ username: 'op', password: 'nedb-era-password' });
    expect(((await after.admin('admin_get_queue')).data as { queue: { callsign: string }[] }).queue.map((e) => e.callsign)).toEqual([
      'W1AW',
      'DL1ABC',
      'JA1XYZ',
    ]);
    expect((await after.admin('admin_get_controls')).data).toMatchObject({ bans: [{ callsign: 'EA1ABC' }] });
    const docs = await nedbDocs(dataDir, 'state.db');
    expect(docs.find((doc) => doc._id === 'pileup')).not.toHaveProperty('queue');
  });

  it('a store closed mid-way is read back the same by a new store and by NeDB', async () => {
    const dataDir = await makeDataDir();
    dirs.push(dataDir);
    const store = await PileupStore.open(dataDir);
    await store.putSession({ token_hash: 'a'.repeat(64), created_at: 1, expires_at: 2 });
    await store.deleteSessions(['a'.repeat(64)]);
    await store.putSession({ token_hash: 'b'.repeat(64), created_at: 3, expires_at: 4 });
    expect(await nedbDocs(dataDir, 'sessions.db')).toEqual([{ _id: 'b'.repeat(64), token_hash: 'b'.repeat(64), created_at: 3, expires_at: 4 }]);
    await store.close();
    const reopened = await PileupStore.open(dataDir);
    expect(await reopened.loadSessions()).toEqual([{ token_hash: 'b'.repeat(64), created_at: 3, expires_at: 4 }]);
    await reopened.close();
  });
});
