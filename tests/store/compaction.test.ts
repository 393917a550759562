import { rm } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultControls } from '../../server/core/abuse-controls.js';
import { PileupStore } from '../../server/store/pileup-store.js';
import { dataLines, isCompacted } from '../support/data-files.js';
import { activeAdmin, makeDataDir, startTestServer } from '../support/harness.js';

const dirs: string[] = [];

afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function freshDir(): Promise<string> {
  const dir = await makeDataDir();
  dirs.push(dir);
  return dir;
}

const EMPTY_STATE = {
  active: false,
  queue: [],
  current: null,
  frequency: null,
  mode: null,
  split: null,
  max_queue_size: 4,
  controls: defaultControls(),
};

describe('compaction on close', () => {
  it('store.close() leaves one line per document in every file', async () => {
    const dataDir = await freshDir();
    const store = await PileupStore.open(dataDir);
    for (let size = 1; size <= 5; size++) await store.commit({ state: { ...EMPTY_STATE, max_queue_size: size } });
    await store.putSession({ token_hash: 'a'.repeat(64), created_at: 1, expires_at: 2 });
    await store.putSession({ token_hash: 'a'.repeat(64), created_at: 1, expires_at: 3 });
    await store.saveCredentials({ username: 'admin', password_hash: 'h1' });
    await store.saveCredentials({ username: 'admin', password_hash: 'h2' });
    // Every update is appended, so before compaction the same document is on several lines.
    expect(await dataLines(dataDir, 'state.db')).toHaveLength(5);

    await store.close();

    expect(await dataLines(dataDir, 'state.db')).toHaveLength(1);
    expect(await dataLines(dataDir, 'sessions.db')).toHaveLength(1);
    expect(await dataLines(dataDir, 'settings.db')).toHaveLength(1);
    for (const file of ['state.db', 'log.db', 'sessions.db', 'settings.db'] as const) {
      expect(await isCompacted(dataDir, file)).toBe(true);
    }
    const reopened = await PileupStore.open(dataDir);
    expect(await reopened.loadState()).toEqual({ ...EMPTY_STATE, max_queue_size: 5 });
    expect(await reopened.loadCredentials()).toEqual({ username: 'admin', password_hash: 'h2' });
    await reopened.close();
  });

  it('closing the server compacts what a session of work appended', async () => {
    const dataDir = await freshDir();
    const server = await startTestServer({ dataDir });
    const admin = await activeAdmin(server);
    for (const callsign of ['W1AW', 'DL1ABC', 'JA1XYZ']) await admin.request('register_callsign', { callsign });
    await admin.admin('admin_work_next');
    await admin.admin('admin_work_next');
    await admin.admin('admin_complete_qso');
    expect((await dataLines(dataDir, 'state.db')).length).toBeGreaterThan(1);
    await admin.close();

    await server.close();

    // One document for the pileup and one for JA1XYZ, still waiting.
    expect(await dataLines(dataDir, 'state.db')).toHaveLength(2);
    const log = await dataLines(dataDir, 'log.db');
    // Two QSOs and nothing else: the log keeps no NeDB index line.
    expect(log.filter((line) => line.includes('"callsign"'))).toHaveLength(2);
    expect(log).toHaveLength(2);
    for (const file of ['state.db', 'log.db', 'sessions.db', 'settings.db'] as const) {
      expect(await isCompacted(dataDir, file)).toBe(true);
    }
  });
});
