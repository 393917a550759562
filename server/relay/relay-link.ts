/**
 * The station's one connection out to the NATS server, kept up forever. The client library
 * reconnects by itself (to any server of the cluster it knows) once it has been connected; a
 * first connection that fails — a wrong URL, a refused password, a server that is down — is
 * retried here with a growing delay. Every change of the link is reported in plain words; the
 * password, token and .creds content never appear in them.
 */
import { readFile } from 'node:fs/promises';
import {
  AuthorizationError,
  backoff,
  type ConnectionOptions,
  connect,
  credsAuthenticator,
  type NatsConnection,
  PermissionViolationError,
  type Status,
  UserAuthenticationExpiredError,
} from '@nats-io/transport-node';
import type { RelaySettings, RelayState } from '../protocol/relay.js';

export interface LinkState {
  state: RelayState;
  reason: string | null;
  /** host:port of the server in use, when connected. */
  server: string | null;
}

export interface RelayLinkHooks {
  onState(state: LinkState): void;
  /** A fresh connection: subscribe and publish what watchers need. Throwing closes it and retries. */
  onOpen(nc: NatsConnection): Promise<void>;
  /** The client reconnected the same connection (maybe to another server): bring watchers up to date. */
  onReconnect(): void;
  /** Last words before a deliberate close (the station says it is going offline). */
  onClosing(nc: NatsConnection): Promise<void>;
}

/** Delays (ms) before the first connection's attempts, then before each of the client's reconnects. */
const RETRY_POLICY = [500, 1000, 2000, 4000, 8000, 15_000, 30_000];
const CONNECT_TIMEOUT_MS = 10_000;

/** The reason a connection attempt failed, for the operator. */
export function describeLinkError(error: unknown): string {
  if (error instanceof AuthorizationError || error instanceof UserAuthenticationExpiredError) {
    return `the NATS server refused the station's credentials (${error.message})`;
  }
  if (error instanceof PermissionViolationError) {
    return `the NATS server refused: ${error.message} (check the station user's permissions for this station id)`;
  }
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  const code = (error as { code?: unknown } | undefined)?.code ?? cause?.code;
  if (code === 'ECONNREFUSED') return 'connection refused (is the NATS server running, and is the port right?)';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `unknown host: ${(error as Error).message.replace(/^getaddrinfo \w+ /, '')}`;
  if (code === 'ENOENT' || code === 'EACCES') return `cannot read the .creds file: ${(error as Error).message}`;
  return error instanceof Error ? error.message : String(error);
}

async function connectOptions(settings: RelaySettings, name: string, reconnectDelay: () => number): Promise<ConnectionOptions> {
  const options: ConnectionOptions = {
    servers: settings.servers,
    name,
    timeout: CONNECT_TIMEOUT_MS,
    maxReconnectAttempts: -1,
    reconnectDelayHandler: reconnectDelay,
    // A refused password may be fixed on the server while we wait: keep trying.
    ignoreAuthErrorAbort: true,
    pingInterval: 20_000,
    maxPingOut: 3,
    // The relay's permissions give each station its own inboxes, so no station sees another's replies.
    inboxPrefix: `_INBOX_${settings.station_id ?? 'station'}`,
    // A tls:// URL means TLS or nothing, never a silent fall-back to plain text.
    ...(settings.servers.some((url) => url.startsWith('tls://')) && { tls: {} }),
  };
  if (settings.auth === 'user') return { ...options, user: settings.user ?? '', pass: settings.password ?? '' };
  if (settings.auth === 'token') return { ...options, token: settings.token ?? '' };
  if (settings.auth === 'creds') {
    // Read at every attempt, so a replaced file is used without a restart.
    const creds = await readFile(settings.creds_file ?? '');
    return { ...options, authenticator: credsAuthenticator(new Uint8Array(creds)) };
  }
  return options;
}

export class RelayLink {
  private nc: NatsConnection | null = null;
  /** Connected right now (not dialling, not reconnecting). */
  private up = false;
  private stopped = false;
  private lastReason: string | null = null;
  /** The client's reconnect attempts since it was last connected: its delay grows with them. */
  private reconnecting = 0;
  private readonly retry = backoff(RETRY_POLICY);
  private wake: (() => void) | null = null;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly settings: RelaySettings,
    private readonly name: string,
    private readonly hooks: RelayLinkHooks,
  ) {}

  /** Starts connecting; it goes on (retrying) until stop(). */
  start(): void {
    this.running = this.run();
  }

  /** Says goodbye on the relay, then closes; the link is not used after this. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    const nc = this.nc;
    if (nc !== null && !nc.isClosed()) {
      // Goodbyes only over a live link: a server that is down would make shutdown wait for it.
      if (this.up) await this.hooks.onClosing(nc).catch(() => undefined);
      await nc.close().catch(() => undefined);
    }
    await this.running;
  }

  private async run(): Promise<void> {
    for (let attempt = 0; !this.stopped; attempt++) {
      this.hooks.onState({ state: 'connecting', reason: attempt === 0 ? null : this.lastReason, server: null });
      let nc: NatsConnection;
      try {
        nc = await connect(await connectOptions(this.settings, this.name, () => this.retry.backoff(this.reconnecting++)));
      } catch (error) {
        this.lastReason = describeLinkError(error);
        this.hooks.onState({ state: 'error', reason: this.lastReason, server: null });
        await this.sleep(this.retry.backoff(attempt));
        continue;
      }
      if (this.stopped) {
        await nc.close().catch(() => undefined);
        return;
      }
      this.nc = nc;
      this.reconnecting = 0;
      this.lastReason = await this.serve(nc);
      this.nc = null;
      // Dial afresh, without hammering a server that closes us at once.
      attempt = 0;
      if (!this.stopped) await this.sleep(this.retry.backoff(1));
    }
  }

  /** Runs one connection until it closes; resolves with why, in plain words. */
  private async serve(nc: NatsConnection): Promise<string> {
    const closed = nc.closed();
    void this.follow(nc);
    try {
      await this.hooks.onOpen(nc);
      this.up = true;
      this.hooks.onState({ state: 'connected', reason: null, server: nc.getServer() });
    } catch (error) {
      // Connected, but the bucket or the subscription was refused: a setting to fix, so retry slowly.
      const reason = describeLinkError(error);
      this.hooks.onState({ state: 'error', reason, server: null });
      await nc.close().catch(() => undefined);
      await this.sleep(RETRY_POLICY[RETRY_POLICY.length - 1] ?? 30_000);
      return reason;
    }
    const why = await closed;
    this.up = false;
    return why instanceof Error ? describeLinkError(why) : 'the connection was closed';
  }

  private async follow(nc: NatsConnection): Promise<void> {
    for await (const status of nc.status() as AsyncIterable<Status>) {
      if (this.stopped) return;
      switch (status.type) {
        case 'disconnect':
          this.up = false;
          this.hooks.onState({ state: 'connecting', reason: `lost the connection to ${status.server}; reconnecting`, server: null });
          break;
        case 'reconnect':
          this.up = true;
          this.reconnecting = 0;
          this.hooks.onState({ state: 'connected', reason: null, server: status.server });
          this.hooks.onReconnect();
          break;
        case 'error':
          this.hooks.onState({ state: 'error', reason: describeLinkError(status.error), server: nc.isClosed() ? null : nc.getServer() });
          break;
        default:
          break;
      }
    }
  }

  /** Waits, unless stopped: stop() ends a wait at once, and none begins after it. */
  private sleep(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wake = null;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
    });
  }
}
