/**
 * The relay's settings and state: admin_get_relay / admin_set_relay, flags and environment
 * winning over the stored settings, secrets never shown, and the LAN server working whatever
 * the relay does (NATS down, refused credentials, a server that comes up later).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { relayStatusSchema } from '../../server/protocol/relay.js';
import { activeAdmin, ADMIN, startTestServer, TestClient, type TestServer } from '../support/harness.js';
import { freePorts, killAllNatsServers, type NatsServer, natsSuite, startNatsServer } from '../support/nats-server.js';
import { relayEnv, relayState } from '../support/relay.js';
import { readGiven } from '../../server/config/given.js';

const STATION = { id: 'ea8abc', password: 'station-password-1' };
const SECRET = 'do-not-show-this-secret';

let servers: TestServer[] = [];
let clients: TestClient[] = [];

async function server(overrides: Parameters<typeof startTestServer>[0] = {}): Promise<TestServer> {
  const started = await startTestServer(overrides);
  servers.push(started);
  return started;
}

async function admin(running: TestServer): Promise<TestClient> {
  const client = await activeAdmin(running);
  clients.push(client);
  return client;
}

afterEach(async () => {
  await Promise.all(clients.map((client) => client.close()));
  await Promise.all(servers.map((running) => running.dispose()));
  clients = [];
  servers = [];
});

describe('admin_get_relay', () => {
  it('shows the relay off with the default settings on a fresh install', async () => {
    const console_ = await admin(await server());
    const reply = await console_.admin('admin_get_relay');
    expect(reply).toMatchObject({
      type: 'success',
      message: 'Relay settings retrieved',
      data: {
        settings: {
          enabled: false,
          servers: [],
          station_id: null,
          auth: 'none',
          user: null,
          password_set: false,
          token_set: false,
          creds_file: null,
          callsign_limit_count: 5,
          callsign_limit_window_s: 600,
          registrations_per_minute: 120,
        },
        overridden: [],
        status: { state: 'off', reason: null, server: null, station_id: null },
      },
    });
    expect(relayStatusSchema.safeParse((reply.data as { status: unknown }).status).success).toBe(true);
  });

  it('needs a session', async () => {
    const anonymous = await TestClient.connect((await server()).url);
    clients.push(anonymous);
    expect((await anonymous.request('admin_get_relay')).error_code).toBe('AUTHENTICATION_REQUIRED');
  });
});

describe('admin_set_relay', () => {
  it('refuses unusable settings, naming the field, and stores nothing', async () => {
    const running = await server();
    const console_ = await admin(running);
    const cases: [Record<string, unknown>, string][] = [
      [{ station_id: 'EA8/ABC' }, 'station_id'],
      [{ station_id: 'x'.repeat(33) }, 'station_id'],
      [{ servers: ['wss://relay.example.org'] }, 'servers.0'],
      [{ servers: ['nats://op:secret@relay.example.org:4222'] }, 'servers.0'],
      [{ enabled: true }, 'servers'],
      [{ enabled: true, servers: ['nats://127.0.0.1:4222'] }, 'station_id'],
      [{ enabled: true, servers: ['127.0.0.1:4222'], station_id: 'ea8abc', auth: 'token' }, 'token'],
      [{ callsign_limit_count: -1 }, 'callsign_limit_count'],
    ];
    for (const [fields, field] of cases) {
      const reply = await console_.adminRaw('admin_set_relay', fields);
      expect(reply, JSON.stringify(fields)).toMatchObject({ type: 'error', error_code: 'INVALID_REQUEST' });
      const issues = (reply.details as { issues: { field: string }[] }).issues;
      expect(issues.map((issue) => issue.field), JSON.stringify(fields)).toContain(field);
    }
    expect(((await console_.admin('admin_get_relay')).data as { settings: object }).settings).toMatchObject({
      enabled: false,
      servers: [],
      station_id: null,
    });
    expect(await running.store.loadRelaySettings()).toBeNull();
  });

  it('keeps a secret out of every reply and broadcast, shows only that it is set, and survives a restart', async () => {
    let running = await server();
    const console_ = await admin(running);
    const frames: string[] = [];
    console_.ws.on('message', (data) => frames.push(data.toString()));
    const reply = await console_.admin('admin_set_relay', {
      servers: ['127.0.0.1:1'],
      station_id: 'ea8abc',
      auth: 'user',
      user: 'station-ea8abc',
      password: SECRET,
      token: `${SECRET}-token`,
    });
    expect(reply).toMatchObject({
      type: 'success',
      message: 'Relay settings saved',
      data: { settings: { auth: 'user', user: 'station-ea8abc', password_set: true, token_set: true, enabled: false } },
    });
    expect(frames.join('\n')).not.toContain(SECRET);
    running = await running.restart();
    servers = [running];
    const after = await admin(running);
    const reread = await after.admin('admin_get_relay');
    expect(JSON.stringify(reread)).not.toContain(SECRET);
    expect(reread.data).toMatchObject({ settings: { station_id: 'ea8abc', servers: ['127.0.0.1:1'], password_set: true } });
    const cleared = await after.admin('admin_set_relay', { token: null });
    expect(cleared.data).toMatchObject({ settings: { token_set: false, password_set: true } });
  });
});

describe('flags and environment', () => {
  it('win over the stored settings, are listed as overridden, and are not stored', async () => {
    const running = await server({
      relay: { servers: ['127.0.0.1:1'], station_id: 'k1abc' },
      env: { ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password, PILEUP_RELAY_USER: 'station-k1abc', PILEUP_RELAY_PASSWORD: SECRET },
    });
    const console_ = await admin(running);
    const reply = await console_.admin('admin_set_relay', { station_id: 'ea8abc' });
    expect(reply.data).toMatchObject({
      settings: { enabled: true, servers: ['127.0.0.1:1'], station_id: 'k1abc', auth: 'user', user: 'station-k1abc', password_set: true },
      overridden: expect.arrayContaining(['servers', 'station_id', 'user', 'password', 'enabled', 'auth']),
    });
    expect(JSON.stringify(reply)).not.toContain(SECRET);
    expect(await running.store.loadRelaySettings()).toMatchObject({ station_id: 'ea8abc', servers: [], password: null });
  });

  it('refuse to start with an unusable value, naming it', () => {
    expect(() => readGiven(['--relay', 'wss://relay.example.org'], {}, true)).toThrow(/^--relay: each URL must be nats:\/\/host:port/);
    expect(() => readGiven([], { PILEUP_RELAY_URL: 'http://x' }, true)).toThrow(/^PILEUP_RELAY_URL: each URL/);
    expect(() => readGiven(['--station-id', 'EA8ABC!'], {}, true)).toThrow(/^--station-id must be 1–32 characters/);
    expect(() => readGiven([], { PILEUP_STATION_ID: 'EA8ABC!' }, true)).toThrow(/^PILEUP_STATION_ID must be 1–32 characters/);
  });
});

describe('the LAN keeps working whatever the relay does', () => {
  it('with nobody listening at the relay URL: the state says why, and registrations still work', async () => {
    const [closed] = await freePorts(1);
    const running = await server({ relay: { servers: [`127.0.0.1:${closed}`], station_id: 'ea8abc' } });
    const status = await relayState(running, 'error');
    expect(status.reason).toMatch(/connection refused/);
    const console_ = await admin(running);
    const reply = await console_.request('register_callsign', { callsign: 'EA1ABC' });
    expect(reply).toMatchObject({ type: 'success', data: { callsign: 'EA1ABC', position: 1 } });
  });

  it('with the relay switched on but no station id: an error state, not a crash', async () => {
    const running = await server({ relay: { servers: ['127.0.0.1:1'] } });
    expect(running.relay.status()).toMatchObject({ state: 'error', reason: expect.stringMatching(/station id/) });
    const console_ = await admin(running);
    expect((await console_.request('get_queue_status')).type).toBe('success');
  });
});

natsSuite(describe)('the LAN keeps working whatever the relay does (with a real NATS server)', () => {
  let dir: string;
  let nats: NatsServer | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'pileup-relay-settings-'));
  });

  afterAll(async () => {
    await killAllNatsServers();
    await rm(dir, { recursive: true, force: true });
  });

  afterEach(async () => {
    await nats?.stop();
    nats = undefined;
  });

  it('with refused credentials: the state says so, the secret never shows, the LAN works', async () => {
    nats = await startNatsServer({ dir, stations: [STATION] });
    const running = await server({
      relay: { servers: [nats.url], station_id: STATION.id },
      env: { ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password, ...relayEnv({ ...STATION, password: SECRET }) },
    });
    const status = await relayState(running, 'error');
    expect(status.reason).toMatch(/refused the station's credentials/);
    expect(JSON.stringify(running.relay.snapshot())).not.toContain(SECRET);
    const console_ = await admin(running);
    expect((await console_.request('register_callsign', { callsign: 'G0ABC' })).type).toBe('success');
  });

  it('with a station user that may not use this station id: the state says so, and closing never waits for a retry', async () => {
    nats = await startNatsServer({ dir, stations: [STATION] });
    // station-ea8abc logs in, but its rights are for ea8abc, not k1abc.
    const running = await startTestServer({
      relay: { servers: [nats.url], station_id: 'k1abc' },
      env: { ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password, ...relayEnv(STATION) },
    });
    const status = await relayState(running, 'error');
    expect(status.reason).toMatch(/Permissions Violation/);
    // The link now waits before trying again; closing must end that wait, not sit it out.
    await running.dispose();
  });

  it('without a station id of its own, uses the one the station callsign gives, and follows the callsign', async () => {
    nats = await startNatsServer({ dir, stations: [STATION] });
    const running = await server({ env: { ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password, ...relayEnv(STATION) } });
    const console_ = await admin(running);
    await console_.admin('admin_set_station', { callsign: 'ea8abc' });
    const connected = relayState(running, 'connected');
    const set = await console_.admin('admin_set_relay', { enabled: true, servers: [nats.url] });
    expect(set.data).toMatchObject({ settings: { station_id: 'ea8abc' } });
    expect(await connected).toMatchObject({ station_id: 'ea8abc' });
    const moved = console_.nextBroadcast('relay_update', (m) => (m.data as { station_id: string | null }).station_id === 'ea8-dl1abc');
    await console_.admin('admin_set_station', { callsign: 'EA8/DL1ABC' });
    await moved;
    expect((await console_.admin('admin_get_relay')).data).toMatchObject({ settings: { station_id: 'ea8-dl1abc' } });
  });

  it('connects by itself once the NATS server comes up, and follows new settings from the console', async () => {
    const [client = 0, websocket = 0, monitor = 0] = await freePorts(3);
    const running = await server({
      env: { ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password, ...relayEnv(STATION) },
    });
    const console_ = await admin(running);
    const set = await console_.admin('admin_set_relay', { enabled: true, servers: [`nats://127.0.0.1:${client}`], station_id: 'ea8abc' });
    expect(set.type).toBe('success');
    const updates = console_.nextBroadcast('relay_update', (m) => (m.data as { state: string }).state === 'connected');
    await relayState(running, 'error');
    nats = await startNatsServer({ dir, stations: [STATION], ports: { client, websocket, monitor } });
    const update = await updates;
    expect(update.data).toMatchObject({ state: 'connected', station_id: 'ea8abc', server: `127.0.0.1:${client}` });
    const off = await console_.admin('admin_set_relay', { enabled: false });
    expect(off.data).toMatchObject({ status: { state: 'off' } });
  });
});
