/**
 * The tests' one way to have a server: a fresh one per test (so no test sees another's queue,
 * sessions or throttle) or per suite where no test changes state, a hand-moved clock, and small
 * readers for replies. harness.ts has the pieces it is made of (startTestServer, TestClient), for
 * the few tests that manage a server's life themselves (restarts over a chosen folder, kills).
 */
import { rm } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import type { ServerOptions } from '../../server/app.js';
import type { Clock, MonotonicClock } from '../../server/time/clock.js';
import type { ErrorCode } from '../../server/protocol/errors.js';
import type { ServerMessage } from '../../server/protocol/envelopes.js';
import { ensureBuilt, killAllClis } from './cli-process.js';
import { ADMIN, makeDataDir, startTestServer, TestClient, type TestServer } from './harness.js';

export type Json = Record<string, unknown>;

export const MINUTE_MS = 60_000;
export const DAY_MS = 24 * 60 * MINUTE_MS;

/** Where every ManualClock starts: the guide's example morning. */
export const CLOCK_START = Date.parse('2025-07-23T10:00:00.000Z');

/**
 * A wall clock and a monotonic clock moved by hand, so expiry, throttling and log order never
 * depend on machine speed. `advance` is time passing (both move); `setWallClock` is someone
 * setting the clock (only the wall clock moves).
 */
export class ManualClock {
  now = CLOCK_START;
  elapsed = 0;

  readonly read: Clock = () => this.now;
  readonly monotonic: MonotonicClock = () => this.elapsed;

  advance(ms: number): void {
    this.now += ms;
    this.elapsed += ms;
  }

  setWallClock(ms: number): void {
    this.now = ms;
  }

  reset(): void {
    this.now = CLOCK_START;
    this.elapsed = 0;
  }

  /** What a server started on this clock takes. */
  get options(): { clock: Clock; monotonicClock: MonotonicClock } {
    return { clock: this.read, monotonicClock: this.monotonic };
  }
}

export interface ServerFixture {
  readonly server: TestServer;
  /** A connected client (welcome received); closed after the test. */
  connect(): Promise<TestClient>;
  /** A logged-in client; the system is left as it is (inactive on a fresh install). */
  operator(): Promise<TestClient>;
  /** A logged-in client with the system switched on. */
  activeOperator(): Promise<TestClient>;
  /** Restarts over the same data directory; clients of the old instance are closed first. */
  restart(overrides?: Partial<ServerOptions>): Promise<TestServer>;
}

/**
 * Registers hooks that start a server over a fresh data directory: one per test (`scope: 'test'`,
 * the default), or one for the enclosing suite (`'suite'`) where every test leaves the state as
 * it found it. `options` is read once per server. Clients are closed after every test.
 */
export function useServer(
  options: () => Partial<ServerOptions> | Promise<Partial<ServerOptions>> = () => ({}),
  scope: 'test' | 'suite' = 'test',
): ServerFixture {
  let current: TestServer | undefined;
  const clients: TestClient[] = [];

  const closeClients = () => Promise.all(clients.splice(0).map((client) => client.close()));
  const start = async () => {
    current = await startTestServer(await options());
  };
  const dispose = async () => {
    await current?.dispose();
    current = undefined;
  };

  if (scope === 'test') {
    // A shutdown compacts and fsyncs every NeDB file; it overlaps the next test, which shares
    // nothing with it, and the file waits for all of them at the end.
    const retiring: Promise<void>[] = [];
    beforeEach(start);
    afterEach(() => {
      const server = current;
      current = undefined;
      retiring.push(closeClients().then(() => server?.dispose()));
    });
    afterAll(() => Promise.all(retiring));
  } else {
    beforeAll(start);
    afterEach(closeClients);
    afterAll(dispose);
  }

  const fixture: ServerFixture = {
    get server() {
      if (!current) throw new Error('the server exists only inside a test');
      return current;
    },
    async connect() {
      const client = await TestClient.connect(fixture.server.url);
      clients.push(client);
      return client;
    },
    async operator() {
      const client = await fixture.connect();
      await client.login(ADMIN);
      return client;
    },
    async activeOperator() {
      const client = await fixture.operator();
      expect(await client.admin('admin_toggle_system', { active: true })).toMatchObject({ type: 'success' });
      return client;
    },
    async restart(overrides = {}) {
      await closeClients();
      current = await fixture.server.restart(overrides);
      return current;
    },
  };
  return fixture;
}

/** `useServer` on a ManualClock that is set back to CLOCK_START for every new server. */
export function useClockedServer(scope: 'test' | 'suite' = 'test'): { fx: ServerFixture; clock: ManualClock } {
  const clock = new ManualClock();
  const fx = useServer(() => {
    clock.reset();
    return clock.options;
  }, scope);
  return { fx, clock };
}

/** The `data` object of a success reply; fails the test on anything else. */
export function dataOf(reply: Json): Json {
  expect(reply).toMatchObject({ type: 'success' });
  expect(reply.data).toBeTypeOf('object');
  return reply.data as Json;
}

export function expectError(reply: Json, code: ErrorCode): void {
  expect(reply).toMatchObject({ type: 'error', error_code: code });
  expect(reply.message).toEqual(expect.any(String));
}

export async function queueStatus(client: TestClient): Promise<Json> {
  return dataOf(await client.request('get_queue_status'));
}

export async function queueCalls(client: TestClient): Promise<string[]> {
  const status = await queueStatus(client);
  return (status.queue as { callsign: string }[]).map((entry) => entry.callsign);
}

/** The operator's QSO log, newest first. */
export async function logEntries(operator: TestClient, fields: Json = {}): Promise<Json[]> {
  return dataOf(await operator.admin('admin_get_log', fields)).entries as Json[];
}

export async function register(client: TestClient, ...callsigns: string[]): Promise<void> {
  for (const callsign of callsigns) {
    expect(await client.request('register_callsign', { callsign })).toMatchObject({ type: 'success' });
  }
}

function isBroadcast(message: ServerMessage): boolean {
  return !('request_id' in message) && message.type !== 'welcome';
}

/**
 * Runs `action` on `client` and returns the broadcasts that client received before its reply.
 * The server emits a command's broadcasts before it replies, and one connection delivers in
 * order, so these are exactly the command's broadcasts (when nothing else runs meanwhile).
 */
export async function broadcastsDuring(client: TestClient, action: () => Promise<Json>): Promise<Json[]> {
  const from = client.received.length;
  const reply = await action();
  const until = client.received.indexOf(reply as unknown as ServerMessage);
  return client.received.slice(from, until).filter(isBroadcast) as unknown as Json[];
}

/**
 * Makes sure `client` holds every broadcast of the commands that have already replied: a command
 * writes its broadcasts to every connection before its reply, so they precede this client's pong.
 * Answers the index in `client.received` reached at that point.
 */
export async function settle(client: TestClient): Promise<number> {
  await client.request('ping');
  return client.received.length;
}

/** The broadcasts `client` received from index `from` (see `settle`) up to now. */
export async function broadcastsSince(client: TestClient, from: number): Promise<Json[]> {
  await settle(client);
  return client.received.slice(from).filter(isBroadcast) as unknown as Json[];
}

/** What a suite of real server processes (the CLI) or servers over chosen folders keeps for cleaning up. */
export interface ProcessSuite {
  /** A new empty data folder, removed after the test. */
  freshDir(): Promise<string>;
  /** Closed after the test (a client, or a server started over a chosen folder). */
  keep<T extends { close(): Promise<void> }>(closable: T): T;
}

/**
 * Hooks for tests that start servers themselves (CLI processes, restarts over one folder): the
 * build is made once, and after every test what was kept is closed, every CLI process killed and
 * every folder removed.
 */
export function useProcessSuite(): ProcessSuite {
  const dirs: string[] = [];
  const kept: { close(): Promise<void> }[] = [];
  beforeAll(ensureBuilt, 120_000);
  afterEach(async () => {
    await Promise.all(kept.splice(0).map((closable) => closable.close()));
    await killAllClis();
    await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });
  return {
    async freshDir() {
      const dir = await makeDataDir();
      dirs.push(dir);
      return dir;
    },
    keep(closable) {
      kept.push(closable);
      return closable;
    },
  };
}
