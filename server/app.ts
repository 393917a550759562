/**
 * Wires the embedded server: store → core → auth → gateway. Used by the headless CLI, by the
 * Electron main process and by the tests, so all three run exactly the same server.
 */
import type { AddressInfo } from 'node:net';
import { Credentials } from './auth/credentials.js';
import { LoginThrottle } from './auth/login-throttle.js';
import { Sessions } from './auth/sessions.js';
import { type Clock, isoAt, type MonotonicClock, systemClock, systemMonotonicClock } from './time/clock.js';
import { PileupService } from './core/pileup-service.js';
import { Bridges } from './bridges/bridges.js';
import type { RigTiming } from './rig/rig-follower.js';
import type { BridgeSettings } from './protocol/bridges.js';
import { dispatch } from './gateway/dispatch.js';
import { createGateway, type Gateway } from './gateway/gateway.js';
import { loopbackFor, urlFor, wsUrl } from './net/urls.js';
import { CONSOLE_PATH, HEALTH_PATH, PUBLIC_PAGE_PATH } from './protocol/endpoints.js';
import type { StorageStatus } from './protocol/storage.js';
import type { Caller, GatewayContext } from './gateway/handlers.js';
import type { Reply } from './protocol/envelopes.js';
import type { ReplyTo } from './protocol/reply-data.js';
import type { RequestMessage, RequestType } from './protocol/requests.js';
import { type ConfigEnv, type Given, givenFromEnv, mergeGiven, type RelayGiven } from './config/given.js';
import { Listen } from './config/listen.js';
import { Relay } from './relay/relay.js';
import { Station } from './config/station.js';
import { type OpenReport, PileupStore } from './store/pileup-store.js';

export interface ServerOptions {
  dataDir: string;
  /** From flags (server/config/given.ts): win over the environment, the stored settings and the defaults. */
  host?: string | undefined;
  port?: number | undefined;
  bridges?: Partial<BridgeSettings>;
  relay?: RelayGiven;
  /** The process environment; read by server/config/given.ts like the flags. */
  env?: ConfigEnv;
  /** How often the relay rewrites its presence heartbeat (tests and the bench shorten it). */
  relayPresenceIntervalMs?: number;
  /** How often the rigctld client polls and retries (tests shorten them; defaults in server/rig/rig-follower.ts). */
  rigTiming?: Partial<RigTiming>;
  clock?: Clock;
  /** Throttle windows, lockouts and retry-after (see core/clock.ts). */
  monotonicClock?: MonotonicClock;
  heartbeatMs?: number;
  maxBufferedBytes?: number;
  /** While writes fail, how often a probe write checks whether the disk has recovered. */
  storageProbeMs?: number;
  onUnexpected?: (error: unknown) => void;
}

export interface RunningServer {
  service: PileupService;
  sessions: Sessions;
  credentials: Credentials;
  gateway: Gateway;
  store: PileupStore;
  bridges: Bridges;
  relay: Relay;
  /** The bind host in use (given, stored or the default). */
  host: string;
  address: AddressInfo;
  /** `ws://host:port/api/ws` for the bound address (loopback when bound to every interface). */
  url: string;
  healthUrl: string;
  /** The operator console and the callers' public page, on this machine (loopback when bound to every interface). */
  consoleUrl: string;
  publicUrl: string;
  storeReport: OpenReport;
  /** The station settings (callsign, locator, …); `station.problem` says when stored ones could not be used. */
  station: Station;
  /**
   * Replaces the stored admin password with a generated one and ends every session (the reset
   * for damaged credentials, `--reset-password`); resolves with the new password, to be shown once.
   */
  resetPassword(): Promise<string>;
  /**
   * Runs one protocol request as the trusted local operator (the desktop console over IPC, the
   * tray): the same checks and handlers as the wire, without a JSON round trip.
   */
  localRequest<T extends RequestType>(message: RequestMessage<T>): Promise<ReplyTo<T>>;
  /** A message from outside the process's own code (the console page over IPC): checked like a wire frame. */
  localRequest(message: unknown): Promise<Reply>;
  close(): Promise<void>;
}

/** The operator at this machine's own console: trusted, so admin requests need no token. */
const LOCAL_OPERATOR: Caller = { connectionId: 'local', address: 'local', trusted: true };

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const clock = options.clock ?? systemClock;
  const monotonicClock = options.monotonicClock ?? systemMonotonicClock;
  const given = mergeGiven(givenFromEnv(options.env ?? {}), {
    ...(options.host !== undefined && { host: options.host }),
    ...(options.port !== undefined && { port: options.port }),
    bridges: options.bridges ?? {},
    relay: options.relay ?? {},
  });
  const store = await PileupStore.open(options.dataDir, { now: clock, ...(options.storageProbeMs !== undefined && { probeMs: options.storageProbeMs }) });
  let wired: Awaited<ReturnType<typeof wire>>;
  try {
    wired = await wire(store, given, { clock, monotonicClock }, options);
  } catch (error) {
    await store.close().catch(() => undefined);
    throw error;
  }
  const { service, sessions, credentials, bridges, relay, station, listen, context, gateway, address, onUnexpected } = wired;
  const { host } = listen.active;
  await relay.start();
  const loopback = loopbackFor(host);
  const onStorage = (status: StorageStatus) => service.publish({ type: 'storage_update', timestamp: isoAt(clock()), data: status });
  store.health.on('change', onStorage);
  let closing: Promise<void> | undefined;
  return {
    service,
    sessions,
    credentials,
    gateway,
    store,
    bridges,
    relay,
    host,
    address,
    url: wsUrl(loopback, address.port),
    healthUrl: urlFor('http', loopback, address.port, HEALTH_PATH),
    consoleUrl: urlFor('http', loopback, address.port, CONSOLE_PATH),
    publicUrl: urlFor('http', loopback, address.port, PUBLIC_PAGE_PATH),
    storeReport: store.report,
    station,
    // The handlers are typed by the reply contract, so the reply to a RequestMessage<T> is a ReplyTo<T>.
    localRequest: ((message: unknown) => dispatch(message, LOCAL_OPERATOR, context, onUnexpected)) as RunningServer['localRequest'],
    async resetPassword() {
      const password = await credentials.reset();
      await sessions.revokeAll();
      return password;
    },
    close() {
      closing ??= (async () => {
        // The relay first: watchers hear "offline" while the station is still all there.
        await relay.close();
        await Promise.all([gateway.close(), bridges.close()]);
        await service.drain();
        store.health.off('change', onStorage);
        await store.close();
      })();
      return closing;
    },
  };
}

/** Everything on top of the store, listening; the caller closes the store if this fails. */
async function wire(store: PileupStore, given: Given, clocks: { clock: Clock; monotonicClock: MonotonicClock }, options: ServerOptions) {
  const { clock, monotonicClock } = clocks;
  const listen = new Listen(store);
  const { host, port } = await listen.resolve(given);
  const station = await Station.open(store);
  const service = await PileupService.create({
    store,
    clock,
    monotonicClock,
    station: station.current,
    ...(given.maxQueueSize !== undefined && { maxQueueSize: given.maxQueueSize }),
  });
  const [sessions, credentials] = await Promise.all([Sessions.load(store, clock), Credentials.resolve(store, given)]);
  const bridges = new Bridges(service, store, clock, monotonicClock, host, options.rigTiming);
  await bridges.start(given.bridges);
  const onUnexpected = options.onUnexpected ?? ((error: unknown) => console.error('Unexpected error:', error));
  const relay = await Relay.load({
    service,
    store,
    clock,
    overrides: given.relay,
    dispatch: (message, caller) => dispatch(message, caller, context, onUnexpected),
    onUnexpected,
    ...(options.relayPresenceIntervalMs !== undefined && { presenceIntervalMs: options.relayPresenceIntervalMs }),
  });
  const context: GatewayContext = {
    service,
    sessions,
    credentials,
    throttle: new LoginThrottle(monotonicClock),
    clock,
    bridges,
    listen,
    relay,
    station,
    storageStatus: () => store.health.status(),
  };
  const gateway = createGateway(context, {
    onUnexpected,
    originPolicy: given.origins,
    ...(options.heartbeatMs !== undefined && { heartbeatMs: options.heartbeatMs }),
    ...(options.maxBufferedBytes !== undefined && { maxBufferedBytes: options.maxBufferedBytes }),
  });
  let address: AddressInfo;
  try {
    address = await gateway.listen(port, host);
  } catch (error) {
    await Promise.all([bridges.close(), relay.close()]);
    throw error;
  }
  listen.active = { host, port: address.port };
  return { service, sessions, credentials, bridges, relay, station, listen, context, gateway, address, onUnexpected };
}
