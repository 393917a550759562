/**
 * The public page's NATS transport (renderer/transport/nats-link.ts) with the page's own store,
 * against a real nats-server and a real station: it shows the station's pileup, follows it,
 * registers through the relay, and says "station offline" — at once when the station says
 * goodbye, within 45 s (on an injected clock) when it dies without a word — and comes back by
 * itself. The Node client's TCP connect stands in for the browser's WebSocket.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { connect } from '@nats-io/transport-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PRESENCE_STALE_MS } from '../../server/protocol/relay.js';
import { NatsLink } from '../../renderer/transport/nats-link.js';
import { createPileupStore, type PileupStore } from '../../renderer/store/pileup-store.js';
import { ensureBuilt, killAllClis, spawnCli } from '../support/cli-process.js';
import { activeAdmin, type TestClient, type TestServer } from '../support/harness.js';
import { killAllNatsServers, type NatsServer, natsSuite, startNatsServer } from '../support/nats-server.js';
import { relayEnv, startRelayedStation } from '../support/relay.js';

const STATION = { id: 'ea8abc', password: 'station-password-1' };
const RELAY_ENV = relayEnv(STATION);

natsSuite(describe)('the public page over the relay (NatsLink)', () => {
  let dir: string;
  let nats: NatsServer;
  let now = Date.now();
  const pages: { bridge: NatsLink; store: PileupStore }[] = [];

  function openPage(): { bridge: NatsLink; store: PileupStore } {
    const bridge = new NatsLink({ servers: [nats.url], station: STATION.id, connect, now: () => now, checkEveryMs: 20 });
    const page = { bridge, store: createPileupStore(bridge) };
    pages.push(page);
    return page;
  }

  const until = (check: () => boolean, timeout = 10_000) => expect.poll(check, { timeout, interval: 20 }).toBe(true);

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'pileup-nats-bridge-'));
    nats = await startNatsServer({ dir, stations: [STATION] });
  });

  afterEach(() => {
    for (const { bridge, store } of pages.splice(0)) {
      store.dispose();
      bridge.close();
    }
  });

  afterAll(async () => {
    await killAllClis();
    await nats?.stop();
    await killAllNatsServers();
    await rm(dir, { recursive: true, force: true });
  });

  describe('with the station running', () => {
    let server: TestServer;
    let console_: TestClient;

    beforeAll(async () => {
      server = await startRelayedStation(nats, STATION, { relayPresenceIntervalMs: 100, env: { MAX_QUEUE_SIZE: '10' } });
      console_ = await activeAdmin(server);
    });

    afterAll(async () => {
      await console_?.close();
      await server?.dispose();
    });

    it('shows the pileup from the snapshot, registers through the relay, and follows the change', async () => {
      await console_.request('register_callsign', { callsign: 'W1AW' });
      const { store } = openPage();
      await until(() => store.getState().connection.status === 'online' && store.getState().synced);
      await until(() => store.getState().pileup.queue.some((entry) => entry.callsign === 'W1AW'));
      const outcome = await store.getState().actions.register('ea1abc');
      expect(outcome).toMatchObject({ ok: true, callsign: 'EA1ABC', position: 2 });
      await until(() => store.getState().pileup.queue.map((entry) => entry.callsign).join() === 'W1AW,EA1ABC');
      await console_.admin('admin_work_next');
      await until(() => store.getState().pileup.current_qso?.callsign === 'W1AW');
      expect(store.getState().pileup.queue_size).toBe(1);
    });

    it('hands the station’s refusal to the page with its code and details', async () => {
      const { store } = openPage();
      await until(() => store.getState().connection.status === 'online');
      const outcome = await store.getState().actions.register('EA1ABC');
      expect(outcome).toMatchObject({ ok: false, refusal: { code: 'ALREADY_IN_QUEUE', details: { callsign: 'EA1ABC' } } });
    });

    it('learns of a pause, which publishes no event, from the heartbeat', async () => {
      const { store } = openPage();
      await until(() => store.getState().connection.status === 'online' && store.getState().synced);
      expect(store.getState().pileup.registration_paused).toBe(false);
      await console_.admin('admin_pause_registration');
      await until(() => store.getState().pileup.registration_paused);
      await console_.admin('admin_resume_registration');
      await until(() => !store.getState().pileup.registration_paused);
    });

    it('sends no admin request through the relay, even from the operator actions', async () => {
      const { bridge } = openPage();
      await until(() => bridge.connection.status === 'online');
      const reply = await bridge.request({ type: 'admin_clear_queue' });
      expect(reply).toMatchObject({ type: 'error', error_code: 'INVALID_REQUEST' });
      expect(server.service.status().queue_size).toBe(1);
    });
  });

  describe('when the station goes away', () => {
    it('says "station offline" as soon as the station says goodbye', async () => {
      const server = await startRelayedStation(nats, STATION);
      const { store } = openPage();
      await until(() => store.getState().connection.status === 'online');
      await server.dispose();
      await until(() => store.getState().connection.status === 'station-offline');
    });

    it('says "station offline" within 45 s when the station dies without a word, and "online" when it is back', async () => {
      await ensureBuilt();
      const dataDir = await mkdtemp(path.join(os.tmpdir(), 'pileup-nats-bridge-station-'));
      const args = ['--host', '127.0.0.1', '--port', '0', '--data-dir', dataDir, '--relay', nats.url, '--station-id', STATION.id];
      const station = spawnCli(args, RELAY_ENV);
      await station.waitForStdout(/Press Ctrl\+C to stop\./);
      const { store } = openPage();
      await until(() => store.getState().connection.status === 'online', 20_000);
      station.child.kill('SIGKILL');
      await station.exited;
      // Nothing said goodbye: still "online" until the heartbeat is older than 45 s …
      now += PRESENCE_STALE_MS - 1000;
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(store.getState().connection.status).toBe('online');
      // … and "station offline" once it is.
      now += 2000;
      await until(() => store.getState().connection.status === 'station-offline');
      expect(store.getState().connection).toMatchObject({ lastSeen: expect.stringMatching(/Z$/) });
      const again = spawnCli(args, RELAY_ENV);
      await again.waitForStdout(/Press Ctrl\+C to stop\./);
      await until(() => store.getState().connection.status === 'online', 20_000);
      again.child.kill('SIGTERM');
      await again.exited;
      await rm(dataDir, { recursive: true, force: true });
    });
  });
});
