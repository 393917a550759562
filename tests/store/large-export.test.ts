import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseAdif } from '../../server/ham/adif.js';
import type { LogEntry } from '../../server/protocol/entities.js';
import { activeAdmin, startTestServer, type TestServer } from '../support/harness.js';

const QSOS = 100_000;
let server: TestServer;
let token: string;
const entries: LogEntry[] = [];
const unexpected: unknown[] = [];

beforeAll(async () => {
  server = await startTestServer({ onUnexpected: (error) => unexpected.push(error) });
  const admin = await activeAdmin(server);
  token = admin.token ?? '';
  await admin.close();
  const first = Date.UTC(2024, 0, 1);
  for (let i = 0; i < QSOS; i += 1) {
    const start = first + i * 45_000;
    entries.push({
      qso_id: `bulk${i.toString().padStart(7, '0')}`,
      callsign: ['DL1ABC', 'EA8/DL1ABC', 'W1AW', 'JA1XYZ', 'VK2DEF'][i % 5] as string,
      started_at: new Date(start).toISOString(),
      ended_at: new Date(start + 30_000).toISOString(),
      source: 'queue',
      frequency: '14.205',
      band: '20m',
      mode: ['USB', 'CW', 'FT8'][i % 3] as string,
      rst_sent: '59',
      rst_received: '57',
    });
  }
  await server.service.putLogged(entries);
}, 60_000);

afterAll(async () => {
  await server.dispose();
});

describe('ADIF export of a 100,000-QSO log', () => {
  it('streams (memory stays flat) and re-imports to the same records', async () => {
    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    let peakGrowth = 0;
    const chunks: Buffer[] = [];
    let bytes = 0;
    await new Promise<void>((resolve, reject) => {
      const req = http.get(
        { host: '127.0.0.1', port: server.address.port, path: '/api/log.adi', headers: { authorization: `Bearer ${token}` } },
        (res) => {
          expect(res.statusCode).toBe(200);
          res.on('data', (chunk: Buffer) => {
            bytes += chunk.length;
            chunks.push(chunk);
            peakGrowth = Math.max(peakGrowth, process.memoryUsage().heapUsed - heapBefore - bytes);
          });
          res.on('end', () => resolve());
        },
      );
      req.on('error', reject);
    });
    // The file is tens of MiB; the server never holds more than a chunk of it beyond what the test keeps.
    expect(bytes).toBeGreaterThan(20 * 1024 * 1024);
    expect(peakGrowth).toBeLessThan(bytes / 2);
    const { entries: back, skipped } = parseAdif(Buffer.concat(chunks).toString('utf8'), { now: Date.now() });
    expect(skipped).toEqual([]);
    expect(back).toHaveLength(QSOS);
    expect(back.map(({ country: _c, dxcc: _d, continent: _n, cq_zone: _z, ...rest }) => rest)).toEqual(entries);
  }, 60_000);

  it('takes a cancelled download as the client going away: no error reported, the server keeps serving', async () => {
    await new Promise<void>((resolve, reject) => {
      const req = http.get(
        { host: '127.0.0.1', port: server.address.port, path: '/api/log.adi', headers: { authorization: `Bearer ${token}` }, agent: false },
        (res) => {
          // The reset we cause ourselves is reported on our side too.
          res.on('error', () => undefined);
          res.once('data', () => {
            req.destroy();
            resolve();
          });
        },
      );
      req.on('error', (error) => {
        if (!req.destroyed) reject(error);
      });
    });
    const connections = () => new Promise<number>((resolve) => server.gateway.server.getConnections((_error, count) => resolve(count)));
    await vi.waitFor(async () => expect(await connections()).toBe(0));
    expect((await fetch(server.healthUrl)).status).toBe(200);
    expect(unexpected).toEqual([]);
  });
});
