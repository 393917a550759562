/**
 * Helpers for the relay tests: waiting for the station's relay state, and a public client
 * (no credentials, like a browser) that follows a station's events and reads its KV bucket.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { jetstream } from '@nats-io/jetstream';
import { type KV, Kvm } from '@nats-io/kv';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { RunningServer, ServerOptions } from '../../server/app.js';
import { broadcastSchema, type Broadcast } from '../../server/protocol/broadcasts.js';
import { relayNames, type RelayState, type RelayStatus } from '../../server/protocol/relay.js';
import { activeAdmin, ADMIN, startTestServer, type TestClient, type TestServer } from './harness.js';
import { killAllNatsServers, type NatsServer, type NatsServerOptions, startNatsServer, type StationUser } from './nats-server.js';

/** The station user's credentials as the app takes them from the environment. */
export function relayEnv(station: StationUser): { PILEUP_RELAY_USER: string; PILEUP_RELAY_PASSWORD: string } {
  return { PILEUP_RELAY_USER: `station-${station.id}`, PILEUP_RELAY_PASSWORD: station.password };
}

/** A test server relaying as `station` through `nats` (its first URL), connected before this resolves. */
export async function startRelayedStation(
  nats: Pick<NatsServer, 'url'>,
  station: StationUser,
  overrides: Partial<ServerOptions> = {},
): Promise<TestServer> {
  const server = await startTestServer({
    ...overrides,
    relay: { servers: [nats.url], station_id: station.id },
    env: { ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password, ...relayEnv(station), ...overrides.env },
  });
  await relayState(server, 'connected', 60_000);
  return server;
}

/** Resolves once the station's relay is in `state` (now or later). */
export function relayState(server: Pick<RunningServer, 'relay' | 'service'>, state: RelayState, timeoutMs = 15_000): Promise<RelayStatus> {
  const now = server.relay.status();
  if (now.state === state) return Promise.resolve(now);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      server.service.off('broadcast', listener);
      reject(new Error(`relay not ${state} in ${timeoutMs} ms: ${JSON.stringify(server.relay.status())}`));
    }, timeoutMs);
    const listener = (message: Broadcast) => {
      if (message.type !== 'relay_update' || message.data.state !== state) return;
      clearTimeout(timer);
      server.service.off('broadcast', listener);
      resolve(message.data);
    };
    server.service.on('broadcast', listener);
  });
}

type Json = Record<string, unknown>;

/** A browser-like client of one station: events in order, requests, KV reads. */
export class PublicClient {
  readonly events: Broadcast[] = [];
  private readonly waiters: { match: (m: Broadcast) => boolean; resolve: (m: Broadcast) => void }[] = [];
  private counter = 0;

  private constructor(
    readonly nc: NatsConnection,
    readonly station: string,
    private readonly kv: KV,
  ) {
    nc.subscribe(relayNames(station).events, {
      callback: (_error, msg) => {
        const event = broadcastSchema.parse(msg.json());
        this.events.push(event);
        for (const waiter of [...this.waiters]) {
          if (!waiter.match(event)) continue;
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          waiter.resolve(event);
        }
      },
    });
  }

  static async connect(servers: string | string[], station: string): Promise<PublicClient> {
    const nc = await connect({ servers, maxReconnectAttempts: -1, reconnectTimeWait: 200 });
    const kv = await new Kvm(jetstream(nc, { checkAPI: false })).open(relayNames(station).bucket, { allow_direct: true });
    const client = new PublicClient(nc, station, kv);
    await nc.flush();
    return client;
  }

  /** The first event (already received or to come) that matches. */
  next(match: (event: Broadcast) => boolean, timeoutMs = 10_000): Promise<Broadcast> {
    const seen = this.events.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timed out waiting for a relay event')), timeoutMs);
      this.waiters.push({ match, resolve: (event) => {
        clearTimeout(timer);
        resolve(event);
      } });
    });
  }

  /** Sends one request body (an object, or raw text) and parses the reply. */
  async request(body: Json | string, timeout = 5000): Promise<Json> {
    const payload = typeof body === 'string' ? body : JSON.stringify({ request_id: `relay_${++this.counter}`, ...body });
    const reply = await this.nc.request(relayNames(this.station).requests, payload, { timeout });
    return reply.json<Json>();
  }

  async status(): Promise<Json | null> {
    return (await this.kv.get('status'))?.json<Json>() ?? null;
  }

  async presence(): Promise<Json | null> {
    return (await this.kv.get('presence'))?.json<Json>() ?? null;
  }

  close(): Promise<void> {
    return this.nc.isClosed() ? Promise.resolve() : this.nc.close();
  }
}

/** A suite's relayed station: a real nats-server, the station on it, its console (system on) and one watcher. */
export interface RelayedSuite {
  dir: string;
  nats: NatsServer;
  server: TestServer;
  console_: TestClient;
  watcher: PublicClient;
  /** Stops all of it and removes the folder. */
  stop(): Promise<void>;
}

/** Starts a RelayedSuite for `station`; `nats` and `server` add to what the nats-server and the station start with. */
export async function startRelayedSuite(
  station: StationUser,
  options: { nats?: Partial<Omit<NatsServerOptions, 'dir'>>; server?: Partial<ServerOptions> } = {},
): Promise<RelayedSuite> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pileup-relay-'));
  const nats = await startNatsServer({ dir, stations: [station], ...options.nats });
  const server = await startRelayedStation(nats, station, options.server);
  const console_ = await activeAdmin(server);
  const watcher = await PublicClient.connect(nats.url, station.id);
  return {
    dir,
    nats,
    server,
    console_,
    watcher,
    async stop() {
      await watcher.close();
      await console_.close();
      await server.dispose();
      await nats.stop();
      await killAllNatsServers();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
