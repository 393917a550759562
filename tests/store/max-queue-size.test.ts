import { readdir, rm } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN, activeAdmin, makeDataDir, startTestServer, type TestServer } from '../support/harness.js';

let server: TestServer | undefined;
const dirs: string[] = [];

afterEach(async () => {
  await server?.dispose();
  server = undefined;
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

const CREDENTIALS = { ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password };

describe('MAX_QUEUE_SIZE', () => {
  it('caps the queue at the size from the environment', async () => {
    server = await startTestServer({ env: { ...CREDENTIALS, MAX_QUEUE_SIZE: '2' } });
    const admin = await activeAdmin(server);
    expect((await admin.request('get_queue_status')).data).toMatchObject({ max_queue_size: 2 });
    expect((await admin.request('register_callsign', { callsign: 'W1AW' })).type).toBe('success');
    expect((await admin.request('register_callsign', { callsign: 'DL1ABC' })).type).toBe('success');
    expect(await admin.request('register_callsign', { callsign: 'JA1XYZ' })).toMatchObject({
      type: 'error',
      error_code: 'QUEUE_FULL',
      details: { current_size: 2, max_size: 2 },
    });
    await admin.close();
  });

  it('falls back to the default of 4 when it is empty', async () => {
    server = await startTestServer({ env: { ...CREDENTIALS, MAX_QUEUE_SIZE: '' } });
    const admin = await activeAdmin(server);
    expect((await admin.request('get_queue_status')).data).toMatchObject({ max_queue_size: 4 });
    await admin.close();
  });

  it.each(['0', '-1', '1001', '2.5', 'abc', '4 stations'])(
    'refuses to start with MAX_QUEUE_SIZE=%j and says what is allowed',
    async (value) => {
      const dataDir = await makeDataDir();
      dirs.push(dataDir);
      await expect(startTestServer({ dataDir, env: { ...CREDENTIALS, MAX_QUEUE_SIZE: value } })).rejects.toThrow(
        `MAX_QUEUE_SIZE must be a whole number from 1 to 1000, got ${JSON.stringify(value)}`,
      );
      // Refused before the store was opened: nothing was written.
      expect(await readdir(dataDir)).toEqual([]);
    },
  );
});
