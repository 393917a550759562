/**
 * Wires the embedded server: store → core → auth → gateway. Used by the headless CLI, by the
 * Electron main process and by the tests, so all three run exactly the same server.
 */
import type { AddressInfo } from 'node:net';
import { type CredentialEnv, Credentials } from './auth/credentials.js';
import { LoginThrottle } from './auth/login-throttle.js';
import { Sessions } from './auth/sessions.js';
import { type Clock, type MonotonicClock, systemClock, systemMonotonicClock } from './core/clock.js';
import { PileupService } from './core/pileup-service.js';
import { type BridgeEnv, bridgeSettingsFromEnv, Bridges } from './bridges/bridges.js';
import type { BridgeSettings } from './protocol/bridges.js';
import { dispatch } from './gateway/dispatch.js';
import { createGateway, type Gateway, WS_PATH } from './gateway/gateway.js';
import { policyFromEnv } from './gateway/origin-check.js';
import type { GatewayContext } from './gateway/handlers.js';
import type { Reply } from './gateway/replies.js';
import { Listen } from './listen.js';
import { type OpenReport, PileupStore } from './store/pileup-store.js';

export interface ServerOptions {
  dataDir: string;
  /** Given (--host/--port): wins over the listen setting stored from the console, then 0.0.0.0:8000. */
  host?: string | undefined;
  port?: number | undefined;
  env?: CredentialEnv & { MAX_QUEUE_SIZE?: string | undefined; ALLOWED_ORIGINS?: string | undefined; ALLOWED_HOSTS?: string | undefined } & BridgeEnv;
  /** From the CLI (--wsjtx-port, --n1mm-port, --bridge-host, --bridge-allow): win over the environment and the stored settings. */
  bridges?: Partial<BridgeSettings>;
  clock?: Clock;
  /** Throttle windows, lockouts and retry-after (see core/clock.ts). */
  monotonicClock?: MonotonicClock;
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
  storeReport: OpenReport;
  /** Runs one protocol request as the trusted local operator (the desktop console over IPC). */
  localRequest(message: object): Promise<Reply>;
  close(): Promise<void>;
}

export function parseMaxQueueSize(raw: string | undefined): number | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 1000) {
    throw new Error(`MAX_QUEUE_SIZE must be a whole number from 1 to 1000, got ${JSON.stringify(raw)}`);
  }
  return value;
}

/** An address that binds every interface, so the server is reached through each of them. */
export function isWildcardHost(host: string): boolean {
  return host === '0.0.0.0' || host === '::';
}

export function urlFor(scheme: 'ws' | 'http', host: string, port: number, pathname: string): string {
  const shown = host.includes(':') ? `[${host}]` : host;
  return `${scheme}://${shown}:${port}${pathname}`;
}

export function wsUrl(host: string, port: number): string {
  return urlFor('ws', host, port, WS_PATH);
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const env = options.env ?? {};
  const clock = options.clock ?? systemClock;
  const monotonicClock = options.monotonicClock ?? systemMonotonicClock;
  const maxQueueSize = parseMaxQueueSize(env.MAX_QUEUE_SIZE);
  const bridgeOverrides = { ...bridgeSettingsFromEnv(env), ...options.bridges };
  const originPolicy = policyFromEnv(env);
  const store = await PileupStore.open(options.dataDir, clock);
  const listen = new Listen(store);
  const { host, port } = await listen.resolve(options);
  const service = await PileupService.create({ store, clock, monotonicClock, ...(maxQueueSize !== undefined && { maxQueueSize }) });
  const [sessions, credentials] = await Promise.all([Sessions.load(store, clock), Credentials.resolve(store, env)]);
  const bridges = new Bridges(service, store, clock, monotonicClock, host);
  await bridges.start(bridgeOverrides);
  const context: GatewayContext = { service, sessions, credentials, throttle: new LoginThrottle(monotonicClock), clock, bridges, listen };
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
  const loopback = isWildcardHost(host) ? (host === '::' ? '::1' : '127.0.0.1') : host;
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
    healthUrl: urlFor('http', loopback, address.port, '/health'),
    storeReport: store.report,
    localRequest: (message) =>
      dispatch(JSON.stringify(message), { connectionId: 'local', address: 'local', trusted: true }, context, onUnexpected),
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
