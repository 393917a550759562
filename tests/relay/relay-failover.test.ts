/**
 * The hub dies: a three-node NATS cluster (JetStream replicated on all three, as in
 * deploy/relay/cluster/), the station connected to one node, watchers on every node. That node
 * is killed (SIGKILL) while callers keep registering. The station reconnects to another node by
 * itself, no acknowledged registration is lost, and the watchers — those whose node died
 * included — end up showing exactly the station's queue.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { connect } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NatsLink } from '../../renderer/transport/nats-link.js';
import { createPileupStore, type PileupStore } from '../../renderer/store/pileup-store.js';
import { activeAdmin, type TestClient, type TestServer } from '../support/harness.js';
import { freePorts, killAllNatsServers, type NatsServer, natsSuite, startNatsServer, waitForJetStream } from '../support/nats-server.js';
import { PublicClient, relayState, startRelayedStation } from '../support/relay.js';

const STATION = { id: 'ea8abc', password: 'station-password-1' };
const CALLS = ['EA1ABC', 'DL1ABC', 'G0ABC', 'W1AW', 'JA1XYZ', 'VK2DEF', 'KC1ABC', '2E0JFS', 'EI0IRTS', 'W10ABC', 'KC12XY', 'VK21A'];

natsSuite(describe)('the hub the station is connected to dies', () => {
  let dir: string;
  let nodes: NatsServer[];
  let server: TestServer;
  let console_: TestClient;
  const watchers: PublicClient[] = [];
  const pages: { bridge: NatsLink; store: PileupStore }[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'pileup-relay-cluster-'));
    const routes = await freePorts(3);
    nodes = await Promise.all(
      ['a', 'b', 'c'].map((name, index) =>
        startNatsServer({
          dir,
          stations: [STATION],
          name: `relay-${name}`,
          cluster: { name: 'pileup', port: routes[index] ?? 0, routes: routes.filter((_, other) => other !== index) },
        }),
      ),
    );
    await Promise.all(nodes.map((node) => waitForJetStream(node, 60_000)));
    const [first] = nodes;
    if (first === undefined) throw new Error('no node');
    // Only the first node is given: the others are learnt from the cluster, as for any client.
    server = await startRelayedStation(first, STATION, { env: { MAX_QUEUE_SIZE: '50' } });
    console_ = await activeAdmin(server);
    for (const node of nodes) watchers.push(await PublicClient.connect(node.url, STATION.id));
    const bridge = new NatsLink({ servers: [first.url], station: STATION.id, connect });
    pages.push({ bridge, store: createPileupStore(bridge) });
  }, 120_000);

  afterAll(async () => {
    for (const { bridge, store } of pages) {
      store.dispose();
      bridge.close();
    }
    await Promise.all(watchers.map((watcher) => watcher.close()));
    await console_?.close();
    await server?.dispose();
    await killAllNatsServers();
    await rm(dir, { recursive: true, force: true });
  }, 60_000);

  it('reconnects to another node, loses no acknowledged registration, and every watcher resumes', async () => {
    const [dying, ...survivors] = nodes as [NatsServer, ...NatsServer[]];
    const page = pages[0]?.store;
    await expect.poll(() => page?.getState().connection.status, { timeout: 20_000 }).toBe('online');
    expect(server.relay.status().server).toBe(`127.0.0.1:${dying.ports.client}`);

    const acknowledged: string[] = [];
    const register = async (watcher: PublicClient, callsign: string) => {
      const reply = await watcher.request({ type: 'register_callsign', callsign }, 3000).catch(() => null);
      if (reply?.type === 'success') acknowledged.push(callsign);
      return reply;
    };
    for (const callsign of CALLS.slice(0, 3)) expect((await register(watchers[1] as PublicClient, callsign))?.type).toBe('success');

    // Callers on a surviving node keep registering while the station's node dies under it.
    const during = (async () => {
      for (const callsign of CALLS.slice(3, 8)) await register(watchers[1] as PublicClient, callsign);
    })();
    await dying.kill();
    await during;

    const back = await relayState(server, 'connected', 60_000);
    expect(survivors.map((node) => `127.0.0.1:${node.ports.client}`)).toContain(back.server);
    // Whatever timed out during the failover a caller simply sends again.
    for (const callsign of CALLS.slice(3)) {
      if (acknowledged.includes(callsign)) continue;
      await expect.poll(async () => (await register(watchers[2] as PublicClient, callsign))?.type ?? 'no answer', { timeout: 30_000, interval: 500 })
        .toMatch(/success|error/);
    }

    const queue = () => server.service.status().queue.map((entry) => entry.callsign);
    for (const callsign of acknowledged) expect(queue()).toContain(callsign);
    // Every watcher that is still up, and the page whose node died, shows the station's queue.
    for (const watcher of watchers.slice(1)) {
      await expect.poll(async () => ((await watcher.status())?.queue as { callsign: string }[] | undefined)?.map((e) => e.callsign), { timeout: 30_000 })
        .toEqual(queue());
    }
    await expect.poll(() => page?.getState().pileup.queue.map((entry) => entry.callsign), { timeout: 60_000 }).toEqual(queue());
    expect(page?.getState().connection.status).toBe('online');

    // And the watchers follow changes made after the failover, live.
    const live = Promise.all(watchers.slice(1).map((watcher) => watcher.next((event) => event.type === 'qso_update' && event.data.callsign === CALLS[0])));
    await console_.admin('admin_work_next');
    await live;
    await expect.poll(() => page?.getState().pileup.current_qso?.callsign, { timeout: 30_000 }).toBe(CALLS[0]);
  }, 180_000);
});
