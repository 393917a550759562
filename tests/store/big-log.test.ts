/**
 * A log.db larger than the longest string V8 can hold (about 512 MiB) still starts: start-up
 * streams the file line by line instead of reading it as one string. The file is what repeated
 * imports and corrections leave: few QSOs, each replaced many times (its lines padded with
 * whitespace, which JSON allows, to reach the size with fewer lines).
 */
import { open, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, TestClient, type TestServer, makeDataDir } from '../support/harness.js';

/** Past V8's string limit (2^29 − 24 characters). */
const FILE_BYTES = 2 ** 29 + 16 * 2 ** 20;
const QSOS = 1_000;
const LINE_BYTES = 8 * 1024;

let server: TestServer | undefined;
const clients: TestClient[] = [];
let dataDir: string | undefined;

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await server?.close();
  server = undefined;
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

function entryLine(qso: number, version: number): string {
  const started = Date.UTC(2025, 6, 23, 0, 0, 0) + qso * 60_000;
  const doc = {
    _id: `qso-${qso}`,
    qso_id: `qso-${qso}`,
    callsign: `K${100 + qso}AB`,
    started_at: new Date(started).toISOString(),
    ended_at: new Date(started + 30_000).toISOString(),
    source: 'adif_import',
    frequency: '14.205',
    mode: 'SSB',
    rst_sent: String(version),
  };
  const json = JSON.stringify(doc);
  return `${json.slice(0, -1)}${' '.repeat(LINE_BYTES - json.length - 1)}}\n`;
}

/** Writes log.db in 1 MiB chunks; returns the version each QSO was last written with. */
async function writeBigLog(file: string): Promise<number> {
  const handle = await open(file, 'w');
  let written = 0;
  let line = 0;
  try {
    while (written < FILE_BYTES) {
      let chunk = '';
      while (chunk.length < 2 ** 20) {
        chunk += entryLine(line % QSOS, Math.floor(line / QSOS));
        line += 1;
      }
      await handle.write(chunk);
      written += chunk.length;
    }
  } finally {
    await handle.close();
  }
  return line;
}

describe('a log of any size', () => {
  it('starts over a log.db of more than 512 MiB and serves the newest version of every QSO', async () => {
    dataDir = await makeDataDir();
    const lines = await writeBigLog(path.join(dataDir, 'log.db'));
    const lastVersion = (qso: number) => Math.floor((lines - 1 - ((lines - 1 - qso) % QSOS)) / QSOS);

    server = await startTestServer({ dataDir });

    expect(server.storeReport.skipped).toEqual([]);
    const operator = await TestClient.connect(server.url);
    clients.push(operator);
    await operator.login();
    const page = (await operator.admin('admin_get_log', { limit: 500 })).data as { total: number; entries: { qso_id: string; rst_sent: string }[] };
    expect(page.total).toBe(QSOS);
    for (const entry of page.entries) {
      const qso = Number(entry.qso_id.slice(4));
      expect(entry.rst_sent).toBe(String(lastVersion(qso)));
    }
  }, 120_000);
});
