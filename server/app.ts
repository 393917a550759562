/**
 * Wires the embedded server: store → core → auth → gateway. Used by the headless CLI, by the
 * Electron main process and by the tests, so all three run exactly the same server.
 */
import type { AddressInfo } from 'node:net';
import { type CredentialEnv, Credentials } from './auth/credentials.js';
import { LoginThrottle } from './auth/login-throttle.js';
import { Sessions } from './auth/sessions.js';
import { type Clock, systemClock } from './time/clock.js';
import { PileupService } from './core/pileup-service.js';
import { bridgePortsFromEnv, Bridges } from './bridges/bridges.js';
import type { BridgeSettings } from './protocol/bridges.js';
import { dispatch } from './gateway/dispatch.js';
import { createGateway, type Gateway } from './gateway/gateway.js';
import { loopbackFor, urlFor, wsUrl } from './net/urls.js';
import { CONSOLE_PATH, HEALTH_PATH, PUBLIC_PAGE_PATH } from './protocol/endpoints.js';
import { policyFromEnv } from './gateway/origin-check.js';
import type { Caller, GatewayContext } from './gateway/handlers.js';
import type { Reply } from './protocol/envelopes.js';
import type { ReplyTo } from './protocol/reply-data.js';
import type { RequestMessage, RequestType } from './protocol/requests.js';
import { Listen } from './config/listen.js';
import { Station } from './config/station.js';
import { type OpenReport, PileupStore } from './store/pileup-store.js';

export interface ServerOptions {
  dataDir: string;
  /** Given (--host/--port): wins over the listen setting stored from the console, then 0.0.0.0:8000. */
  host?: string | undefined;
  port?: number | undefined;
  env?: CredentialEnv & { MAX_QUEUE_SIZE?: string | undefined; ALLOWED_ORIGINS?: string | undefined; ALLOWED_HOSTS?: string | undefined } & {
    WSJTX_UDP_PORT?: string | undefined;
    N1MM_UDP_PORT?: string | undefined;
  };
  /** From the CLI (--wsjtx-port, --n1mm-port, --bridge-host): win over WSJTX_UDP_PORT/N1MM_UDP_PORT and the stored settings. */
  bridges?: Partial<BridgeSettings>;
  clock?: Clock;
  heartbeatMs?: number;
  maxBufferedBytes?: number;
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
  /** The operator console and the callers' public page, on this machine (loopback when bound to every interface). */
  consoleUrl: string;
  publicUrl: string;
  storeReport: OpenReport;
  /** The station settings (callsign, locator, …); `station.problem` says when stored ones could not be used. */
  station: Station;
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

export function parseMaxQueueSize(raw: string | undefined): number | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 1000) {
    throw new Error(`MAX_QUEUE_SIZE must be a whole number from 1 to 1000, got ${JSON.stringify(raw)}`);
  }
  return value;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const env = options.env ?? {};
  const clock = options.clock ?? systemClock;
  const maxQueueSize = parseMaxQueueSize(env.MAX_QUEUE_SIZE);
  const bridgeOverrides = { ...bridgePortsFromEnv(env), ...options.bridges };
  const originPolicy = policyFromEnv(env);
  const store = await PileupStore.open(options.dataDir, clock);
  const listen = new Listen(store);
  const { host, port } = await listen.resolve(options);
  const station = await Station.open(store);
  const service = await PileupService.create({
    store,
    clock,
    station: station.current,
    ...(maxQueueSize !== undefined && { maxQueueSize }),
  });
  const [sessions, credentials] = await Promise.all([Sessions.load(store, clock), Credentials.resolve(store, env)]);
  const bridges = new Bridges(service, store, clock);
  await bridges.start(bridgeOverrides);
  const context: GatewayContext = { service, sessions, credentials, throttle: new LoginThrottle(clock), clock, bridges, listen, station };
  const onUnexpected = options.onUnexpected ?? ((error: unknown) => console.error('Unexpected error:', error));
  const gateway = createGateway(context, {
    onUnexpected,
    originPolicy,
    ...(options.heartbeatMs !== undefined && { heartbeatMs: options.heartbeatMs }),
    ...(options.maxBufferedBytes !== undefined && { maxBufferedBytes: options.maxBufferedBytes }),
  });
  let address: AddressInfo;
  try {
    address = await gateway.listen(port, host);
  } catch (error) {
    await bridges.close();
    await store.close();
    throw error;
  }
  listen.active = { host, port: address.port };
  const loopback = loopbackFor(host);
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
    consoleUrl: urlFor('http', loopback, address.port, CONSOLE_PATH),
    publicUrl: urlFor('http', loopback, address.port, PUBLIC_PAGE_PATH),
    storeReport: store.report,
    station,
    // The handlers are typed by the reply contract, so the reply to a RequestMessage<T> is a ReplyTo<T>.
    localRequest: ((message: unknown) => dispatch(message, LOCAL_OPERATOR, context, onUnexpected)) as RunningServer['localRequest'],
    close() {
      closing ??= (async () => {
        await Promise.all([gateway.close(), bridges.close()]);
        await service.drain();
        await store.close();
      })();
      return closing;
    },
  };
}
