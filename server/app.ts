/**
 * Wires the embedded server: store → core → auth → gateway. Used by the headless CLI, by the
 * Electron main process and by the tests, so all three run exactly the same server.
 */
import type { AddressInfo } from 'node:net';
import { Credentials } from './auth/credentials.js';
import { LoginThrottle } from './auth/login-throttle.js';
import { Sessions } from './auth/sessions.js';
import { type Clock, isoAt, systemClock } from './time/clock.js';
import { PileupService } from './core/pileup-service.js';
import { Bridges } from './bridges/bridges.js';
import type { BridgeSettings } from './protocol/bridges.js';
import { dispatch } from './gateway/dispatch.js';
import { createGateway, type Gateway } from './gateway/gateway.js';
import { loopbackFor, urlFor, wsUrl } from './net/urls.js';
import { HEALTH_PATH } from './protocol/endpoints.js';
import type { StorageStatus } from './protocol/storage.js';
import type { Caller, GatewayContext } from './gateway/handlers.js';
import type { Reply } from './protocol/envelopes.js';
import type { ReplyTo } from './protocol/reply-data.js';
import type { RequestMessage, RequestType } from './protocol/requests.js';
import { type ConfigEnv, type Given, givenFromEnv, mergeGiven } from './config/given.js';
import { Listen } from './config/listen.js';
import { type OpenReport, PileupStore } from './store/pileup-store.js';

export interface ServerOptions {
  dataDir: string;
  /** From flags (server/config/given.ts): win over the environment, the stored settings and the defaults. */
  host?: string | undefined;
  port?: number | undefined;
  bridges?: Partial<BridgeSettings>;
  /** The process environment; read by server/config/given.ts like the flags. */
  env?: ConfigEnv;
  clock?: Clock;
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
  /** The bind host in use (given, stored or the default). */
  host: string;
  address: AddressInfo;
  /** `ws://host:port/api/ws` for the bound address (loopback when bound to every interface). */
  url: string;
  healthUrl: string;
  storeReport: OpenReport;
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
  const given = mergeGiven(givenFromEnv(options.env ?? {}), {
    ...(options.host !== undefined && { host: options.host }),
    ...(options.port !== undefined && { port: options.port }),
    bridges: options.bridges ?? {},
  });
  const store = await PileupStore.open(options.dataDir, { now: clock, ...(options.storageProbeMs !== undefined && { probeMs: options.storageProbeMs }) });
  let wired: Awaited<ReturnType<typeof wire>>;
  try {
    wired = await wire(store, given, clock, options);
  } catch (error) {
    await store.close().catch(() => undefined);
    throw error;
  }
  const { service, sessions, credentials, bridges, listen, context, gateway, address, onUnexpected } = wired;
  const { host } = listen.active;
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
    host,
    address,
    url: wsUrl(loopback, address.port),
    healthUrl: urlFor('http', loopback, address.port, HEALTH_PATH),
    storeReport: store.report,
    // The handlers are typed by the reply contract, so the reply to a RequestMessage<T> is a ReplyTo<T>.
    localRequest: ((message: unknown) => dispatch(message, LOCAL_OPERATOR, context, onUnexpected)) as RunningServer['localRequest'],
    async resetPassword() {
      const password = await credentials.reset();
      await sessions.revokeAll();
      return password;
    },
    close() {
      closing ??= (async () => {
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
async function wire(store: PileupStore, given: Given, clock: Clock, options: ServerOptions) {
  const listen = new Listen(store);
  const { host, port } = await listen.resolve(given);
  const service = await PileupService.create({ store, clock, ...(given.maxQueueSize !== undefined && { maxQueueSize: given.maxQueueSize }) });
  const [sessions, credentials] = await Promise.all([Sessions.load(store, clock), Credentials.resolve(store, given)]);
  const bridges = new Bridges(service, store, clock);
  await bridges.start(given.bridges);
  const context: GatewayContext = {
    service,
    sessions,
    credentials,
    throttle: new LoginThrottle(clock),
    clock,
    bridges,
    listen,
    storageStatus: () => store.health.status(),
  };
  const onUnexpected = options.onUnexpected ?? ((error: unknown) => console.error('Unexpected error:', error));
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
    await bridges.close();
    throw error;
  }
  listen.active = { host, port: address.port };
  return { service, sessions, credentials, bridges, listen, context, gateway, address, onUnexpected };
}
