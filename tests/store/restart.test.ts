import { afterEach, describe, expect, it } from 'vitest';
import { activeAdmin, startTestServer, TestClient, type TestServer } from '../support/harness.js';

type Json = Record<string, unknown>;

let server: TestServer | undefined;
const clients: TestClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await server?.dispose();
  server = undefined;
});

async function connect(s: TestServer, token?: string): Promise<TestClient> {
  const client = await TestClient.connect(s.url);
  client.token = token;
  clients.push(client);
  return client;
}

/** The full state, without the per-run session count. */
async function fullStatus(client: TestClient): Promise<Json> {
  const reply = await client.admin('admin_get_status');
  expect(reply.type).toBe('success');
  const { active_sessions: _sessions, ...status } = reply.data as Json;
  return status;
}

async function fullLog(client: TestClient): Promise<Json> {
  const reply = await client.admin('admin_get_log', { limit: 500 });
  expect(reply.type).toBe('success');
  return reply.data as Json;
}

describe('restart restores the pileup', () => {
  it('keeps system state, queue order, current QSO, frequency/mode/split, capacity and the log', async () => {
    server = await startTestServer();
    const admin = await activeAdmin(server);
    clients.push(admin);
    await admin.admin('admin_set_max_queue_size', { max_queue_size: 10 });
    for (const callsign of ['W1AW', 'DL1ABC', 'JA1XYZ', 'VK2DEF', 'G0ABC']) {
      expect((await admin.request('register_callsign', { callsign })).type).toBe('success');
    }
    expect((await admin.admin('admin_work_next')).type).toBe('success');
    // A QSO from logging software is logged at once; W1AW (current) is completed and logged first.
    const sent = await admin.admin('admin_send_qso', {
      callsign: 'EA1ABC',
      frequency: '14.205',
      mode: 'ssb',
      rst_sent: '59',
      rst_received: '57',
    });
    expect(sent.type).toBe('success');
    await admin.admin('admin_set_frequency', { frequency: '14.250', mode: 'cw' });
    await admin.admin('admin_set_split', { split: 'up 5' });

    const before = await fullStatus(admin);
    const logBefore = await fullLog(admin);
    expect(before).toMatchObject({
      system_active: true,
      max_queue_size: 10,
      queue: [
        { callsign: 'DL1ABC', position: 1 },
        { callsign: 'JA1XYZ', position: 2 },
        { callsign: 'VK2DEF', position: 3 },
        { callsign: 'G0ABC', position: 4 },
      ],
      current_qso: { callsign: 'EA1ABC', frequency: '14.205', mode: 'SSB', rst_sent: '59', rst_received: '57' },
      frequency: '14.250',
      mode: 'CW',
      split: 'up 5',
    });
    expect(logBefore.total).toBe(2);

    server = await server.restart();
    const after = await connect(server, admin.token);
    expect(await fullStatus(after)).toEqual(before);
    expect(await fullLog(after)).toEqual(logBefore);
  });

  it('keeps the queue order, so work-next after a restart takes the station that came first', async () => {
    server = await startTestServer();
    const admin = await activeAdmin(server);
    clients.push(admin);
    for (const callsign of ['KC1ABC', 'EI6JGB', '2E0JFS']) await admin.request('register_callsign', { callsign });

    server = await server.restart();
    const after = await connect(server, admin.token);
    expect((await after.admin('admin_work_next')).data).toMatchObject({ callsign: 'KC1ABC', remaining_queue: 2 });
    expect((await after.admin('admin_work_next')).data).toMatchObject({ callsign: 'EI6JGB', remaining_queue: 1 });
  });

  it('remembers that a sent QSO is already logged, so completing it after a restart does not log it twice', async () => {
    server = await startTestServer();
    const admin = await activeAdmin(server);
    clients.push(admin);
    await admin.admin('admin_send_qso', { callsign: 'VK2DEF' });

    server = await server.restart();
    const after = await connect(server, admin.token);
    expect((await after.admin('admin_complete_qso')).data).toMatchObject({ completed_callsign: 'VK2DEF' });
    expect((await fullLog(after)).total).toBe(1);
  });

  it('keeps a deactivated system inactive', async () => {
    server = await startTestServer();
    const admin = await activeAdmin(server);
    clients.push(admin);
    await admin.admin('admin_toggle_system', { active: false });

    server = await server.restart();
    const caller = await connect(server);
    expect((await caller.request('get_queue_status')).data).toMatchObject({ system_active: false, queue_size: 0 });
    expect((await caller.request('register_callsign', { callsign: 'W1AW' })).error_code).toBe('SYSTEM_INACTIVE');
  });
});

describe('restart keeps sessions', () => {
  it('accepts a token issued before the restart', async () => {
    server = await startTestServer();
    const admin = await connect(server);
    await admin.login();

    server = await server.restart();
    const after = await connect(server, admin.token);
    expect((await after.admin('admin_ping')).type).toBe('pong');
    expect(await after.request('ping', { session_token: admin.token })).toMatchObject({ session_valid: true });
  });

  it('does not bring back a token that was logged out before the restart', async () => {
    server = await startTestServer();
    const admin = await connect(server);
    await admin.login();
    expect((await admin.admin('auth_logout')).type).toBe('success');

    server = await server.restart();
    const after = await connect(server, admin.token);
    expect((await after.adminRaw('admin_ping')).error_code).toBe('AUTHENTICATION_REQUIRED');
  });
});
