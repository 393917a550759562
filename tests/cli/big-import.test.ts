/**
 * A 60 MB ADIF upload to the real headless server (a child process, so its memory is its own):
 * it is read as it arrives and stored in batches with a turn of the event loop between them, so
 * the server's peak resident memory stays under 300 MB, other clients keep being answered while
 * it runs, and records repeated inside the file count once. The ping figures are printed (and
 * measured in `npm run bench -- ADIF`); what this asserts does not depend on the machine's speed.
 */
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateAdif, peakRssKiB, uploadWhilePinging } from '../../bench/adif-upload.js';
import { ensureBuilt, killAllClis, startCli, type StartedCli } from '../support/cli-process.js';
import { ADMIN, makeDataDir, TestClient } from '../support/harness.js';

const FILE_BYTES = 60 * 1024 * 1024;
/** The file cycles through this many QSOs, so most of its records repeat one (issue 10: one record, repeated). */
const DISTINCT = 1_000;
const PEAK_RSS_LIMIT_KIB = 300 * 1024;

let dataDir: string;
let cli: StartedCli;

beforeAll(async () => {
  await ensureBuilt();
  dataDir = await makeDataDir();
  cli = await startCli(dataDir, { ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password });
}, 120_000);

afterAll(async () => {
  await killAllClis();
  await rm(dataDir, { recursive: true, force: true });
});

describe('a 60 MB ADIF upload', () => {
  it('imports every distinct QSO once, under 300 MB resident, answering other clients meanwhile', async () => {
    const admin = await TestClient.connect(cli.url);
    const token = await admin.login();
    const file = generateAdif(FILE_BYTES, DISTINCT);
    const upload = await uploadWhilePinging(cli.url, token, file);
    expect(upload.status, upload.body).toBe(200);
    const distinct = DISTINCT;
    expect(JSON.parse(upload.body)).toEqual({ imported: distinct, repeated: file.repeated, skipped: 0, skipped_reasons: [], total: distinct });
    const peak = peakRssKiB(cli.child.pid ?? 0);
    const slowest = Math.max(...upload.pings);
    console.log(
      `60 MB ADIF upload: ${file.records.toLocaleString('en')} records in ${(upload.durationMs / 1000).toFixed(1)} s, ` +
        `peak RSS ${(peak / 1024).toFixed(0)} MiB, ${upload.pings.length} pings answered meanwhile, slowest ${slowest.toFixed(0)} ms`,
    );
    expect(peak).toBeLessThan(PEAK_RSS_LIMIT_KIB);
    // Other clients are served between the import's batches, not after it: pings kept coming
    // back all through the upload (one every ~20 ms when nothing holds the server up).
    expect(upload.pings.length).toBeGreaterThan(20);
    const log = await admin.admin('admin_get_log', { limit: 1 });
    expect(log.data).toMatchObject({ total: distinct });
    await admin.close();
  }, 600_000);
});
