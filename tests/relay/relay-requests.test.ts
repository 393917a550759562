/**
 * The public relay with a real nats-server (the shipped permissions): requests through
 * `pileup.<station>.request` take the WebSocket's own path — same replies, same errors, same
 * rules — and what they change reaches relay watchers and the LAN alike.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relayStatusSnapshotSchema } from '../../server/protocol/relay-snapshot.js';
import { ADMIN, type TestClient, type TestServer } from '../support/harness.js';
import { natsSuite } from '../support/nats-server.js';
import { type PublicClient, type RelayedSuite, startRelayedSuite } from '../support/relay.js';

const STATION = { id: 'ea8abc', password: 'station-password-1' };
let now = Date.parse('2025-07-23T10:30:00.000Z');

natsSuite(describe)('requests through the relay', () => {
  let suite: RelayedSuite | undefined;
  let server: TestServer;
  let console_: TestClient;
  let watcher: PublicClient;

  beforeAll(async () => {
    suite = await startRelayedSuite(STATION, { server: { clock: () => now, monotonicClock: () => now, env: { MAX_QUEUE_SIZE: '3' } } });
    ({ server, console_, watcher } = suite);
  });

  afterAll(() => suite?.stop());

  describe('register_callsign', () => {
    it('lands in the queue, and its broadcast reaches relay watchers and the console', async () => {
      const onRelay = watcher.next((event) => event.type === 'queue_update' && event.data.affected_callsign === 'EA1ABC');
      const onConsole = console_.nextBroadcast('queue_update', (m) => (m.data as { affected_callsign: string }).affected_callsign === 'EA1ABC');
      const reply = await watcher.request({ type: 'register_callsign', callsign: ' ea1abc ' });
      expect(reply).toMatchObject({
        type: 'success',
        request_id: 'relay_1',
        message: 'Callsign registered successfully',
        data: { callsign: 'EA1ABC', position: 1, total_queue: 1 },
      });
      const [relayed, local] = await Promise.all([onRelay, onConsole]);
      // The same JSON as over the WebSocket.
      expect(relayed).toEqual(local);
      expect(server.service.status().queue.map((entry) => entry.callsign)).toEqual(['EA1ABC']);
    });

    it('updates the KV status snapshot after the change', async () => {
      await expect.poll(async () => (await watcher.status())?.queue_size, { timeout: 5000 }).toBe(1);
      const snapshot = relayStatusSnapshotSchema.parse(await watcher.status());
      const { updated_at: _updatedAt, ...status } = snapshot;
      expect(status).toEqual(server.service.status());
    });

    it('gives the same refusals as over the WebSocket, in the same order of checks', async () => {
      const cases = [
        { type: 'register_callsign', callsign: 'EA1ABC' },
        { type: 'register_callsign', callsign: 'KC1@BC' },
        { type: 'register_callsign' },
        { type: 'register_callsign', callsign: 42 },
        { type: 'no_such_type' },
      ];
      for (const body of cases) {
        const overRelay = await watcher.request({ ...body, request_id: 'same' });
        const overWebSocket = await console_.raw(JSON.stringify({ ...body, request_id: 'same' }));
        expect(overRelay, JSON.stringify(body)).toEqual(overWebSocket);
      }
    });

    it('answers bad JSON and non-objects like the WebSocket', async () => {
      for (const raw of ['{not json', '[1,2]', '"text"', '{"request_id":{},"type":"ping"}']) {
        expect(await watcher.request(raw), raw).toEqual(await console_.raw(raw));
      }
    });

    it('applies pause and bans, which live in the core', async () => {
      await console_.admin('admin_ban_callsign', { callsign: 'DL1ABC', reason: 'spam' });
      expect(await watcher.request({ type: 'register_callsign', callsign: 'DL1ABC' })).toMatchObject({
        type: 'error',
        error_code: 'CALLSIGN_BANNED',
      });
      await console_.admin('admin_pause_registration');
      expect(await watcher.request({ type: 'register_callsign', callsign: 'G0ABC' })).toMatchObject({
        type: 'error',
        error_code: 'REGISTRATION_PAUSED',
      });
      await console_.admin('admin_resume_registration');
    });
  });

  describe('the other public requests', () => {
    it('get_queue_status, get_current_qso, get_recent_qsos, search_log and ping answer as over the WebSocket', async () => {
      for (const request of [
        { type: 'get_queue_status' },
        { type: 'get_current_qso' },
        { type: 'get_recent_qsos', limit: 5 },
        { type: 'search_log', callsign: 'EA1ABC' },
      ]) {
        const overRelay = await watcher.request({ ...request, request_id: 'q' });
        const overWebSocket = await console_.raw(JSON.stringify({ ...request, request_id: 'q' }));
        expect(overRelay).toEqual(overWebSocket);
        expect(overRelay.type).toBe('success');
      }
      expect(await watcher.request({ type: 'ping' })).toMatchObject({ type: 'pong' });
    });

    it('publishes what callers may see of the station (station_update) to relay watchers', async () => {
      const onRelay = watcher.next((event) => event.type === 'station_update');
      await console_.admin('admin_set_station', { callsign: 'EA8ABC', locator: 'IL18rj' });
      expect(await onRelay).toMatchObject({ type: 'station_update', data: { callsign: 'EA8ABC', locator: 'IL18rj' } });
    });

    it('never says anything about a session token sent through the relay', async () => {
      const token = console_.token as string;
      const pong = await watcher.request({ type: 'ping', session_token: token });
      expect(pong.type).toBe('pong');
      expect(pong).not.toHaveProperty('session_valid');
    });
  });

  describe('what is refused', () => {
    it.each([
      'admin_clear_queue',
      'admin_get_status',
      'admin_get_relay',
      'admin_set_relay',
      'admin_toggle_system',
      'auth_request',
      'auth_logout',
      'admin_ping',
    ])('%s is not available through the relay, even with a valid token, and changes nothing', async (type) => {
      const before = server.service.status();
      const reply = await watcher.request({ type, session_token: console_.token, ...ADMIN });
      expect(reply).toEqual({
        type: 'error',
        request_id: expect.any(String),
        error_code: 'INVALID_REQUEST',
        message: `${type} is not available through the relay`,
      });
      expect(server.service.status()).toEqual(before);
    });
  });

  describe('relay limits', () => {
    it('limits how often one callsign is registered through the relay', async () => {
      const set = await console_.admin('admin_set_relay', { callsign_limit_count: 2, callsign_limit_window_s: 600 });
      expect(set.type).toBe('success');
      const first = await watcher.request({ type: 'register_callsign', callsign: 'VK2DEF' });
      expect(first.type).toBe('success');
      expect((await watcher.request({ type: 'register_callsign', callsign: 'vk2def' })).error_code).toBe('ALREADY_IN_QUEUE');
      const third = await watcher.request({ type: 'register_callsign', callsign: 'VK2DEF' });
      expect(third).toMatchObject({ type: 'error', error_code: 'RATE_LIMITED', details: { callsign: 'VK2DEF' } });
      expect((third.details as { retry_after_s: number }).retry_after_s).toBeGreaterThan(0);
      // The LAN is not limited by the relay's limits.
      const lan = await console_.request('register_callsign', { callsign: 'JA1XYZ' });
      expect(lan.type).toBe('success');
    });

    it('limits relay registrations per minute, all callers together', async () => {
      await console_.admin('admin_clear_queue');
      // A fresh minute: the attempts of the tests above are out of the window.
      now += 61_000;
      const set = await console_.admin('admin_set_relay', { registrations_per_minute: 2, callsign_limit_count: 0 });
      expect(set.type).toBe('success');
      const codes: unknown[] = [];
      for (const callsign of ['W1AW', 'KC1ABC', 'EI6JGB/P']) {
        codes.push((await watcher.request({ type: 'register_callsign', callsign })).error_code ?? 'ok');
      }
      expect(codes).toEqual(['ok', 'ok', 'RATE_LIMITED']);
    });
  });
});
