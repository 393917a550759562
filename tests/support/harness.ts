/**
 * Test harness: a real server on an ephemeral port over a fresh temp data dir, and a real `ws`
 * client that pairs replies with requests and records broadcasts. Every frame a client receives
 * is parsed with the protocol's server-message schema, so any test also checks the wire shapes.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { WebSocket } from 'ws';
import { type RunningServer, type ServerOptions, startServer } from '../../server/app.js';
import { serverMessageSchema, type ServerMessage } from '../../server/protocol/envelopes.js';
import { replySchemaFor } from '../../server/protocol/reply-data.js';
import { isRequestType } from '../../server/protocol/requests.js';

export const ADMIN = { username: 'admin', password: 'test-password-123' } as const;

export interface TestServer extends RunningServer {
  dataDir: string;
  /** Closes the server and removes its data directory. */
  dispose(): Promise<void>;
  /** Closes this instance and starts a new one over the same data directory. */
  restart(overrides?: Partial<ServerOptions>): Promise<TestServer>;
}

export async function makeDataDir(): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), 'pileup-test-'));
}

export async function startTestServer(overrides: Partial<ServerOptions> = {}): Promise<TestServer> {
  const dataDir = overrides.dataDir ?? (await makeDataDir());
  const options: ServerOptions = {
    host: '127.0.0.1',
    port: 0,
    env: { ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password },
    onUnexpected: () => undefined,
    ...overrides,
    dataDir,
  };
  const server = await startServer(options);
  const wrapped: TestServer = {
    ...server,
    dataDir,
    async dispose() {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
    async restart(more = {}) {
      await server.close();
      return startTestServer({ ...options, ...more, dataDir });
    },
  };
  return wrapped;
}

type Json = Record<string, unknown>;

export class TestClient {
  readonly received: ServerMessage[] = [];
  private counter = 0;
  private readonly waiters: { match: (m: ServerMessage) => boolean; resolve: (m: ServerMessage) => void }[] = [];
  token: string | undefined;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const message = serverMessageSchema.parse(JSON.parse(data.toString()));
      this.received.push(message);
      for (const waiter of [...this.waiters]) {
        if (waiter.match(message)) {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          waiter.resolve(message);
        }
      }
    });
  }

  /** `localAddress`: the client's own address, e.g. another loopback address such as 127.0.0.2. */
  static async connect(url: string, options: { localAddress?: string } = {}): Promise<TestClient> {
    const ws = new WebSocket(url, options);
    const client = new TestClient(ws);
    const welcome = client.next((m) => m.type === 'welcome');
    const opened = new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    // Both awaited together: a connection that fails leaves no welcome wait to reject unheard later.
    await Promise.all([opened, welcome]);
    return client;
  }

  /** Resolves with the first message (already received or to come) that matches. */
  next(match: (m: ServerMessage) => boolean, timeoutMs = 5000): Promise<ServerMessage> {
    const seen = this.received.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timed out waiting for a message')), timeoutMs);
      this.waiters.push({
        match,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
      });
    });
  }

  /** Waits for a broadcast of `type` that arrives after this call (or matches `match`). */
  nextBroadcast(type: string, match: (m: Json) => boolean = () => true): Promise<Json> {
    const from = this.received.length;
    return this.next((m) => m.type === type && this.received.indexOf(m) >= from && match(m as unknown as Json)).then(
      (m) => m as unknown as Json,
    );
  }

  broadcasts(type: string): Json[] {
    return this.received.filter((m) => m.type === type) as unknown as Json[];
  }

  /**
   * Sends a request and resolves with the reply carrying its request_id, whatever it says. A
   * reply to a known type must have the shape the reply contract gives it (reply-data.ts);
   * `timeoutMs` is only a safety net.
   */
  async request(type: string, fields: Json = {}, timeoutMs?: number): Promise<Json> {
    const request_id = `req_${++this.counter}`;
    const reply = this.next((m) => 'request_id' in m && m.request_id === request_id, timeoutMs);
    this.ws.send(JSON.stringify({ type, request_id, ...fields }));
    const answer = await reply;
    if (isRequestType(type)) replySchemaFor(type).parse(answer);
    return answer as unknown as Json;
  }

  /** Sends an admin request with this client's token and resolves with its reply, refusals included. */
  adminRaw(type: string, fields: Json = {}): Promise<Json> {
    return this.request(type, { session_token: this.token, ...fields });
  }

  /** Sends an admin request with this client's token; a refusal fails the test (use adminRaw to test one). */
  async admin(type: string, fields: Json = {}): Promise<Json> {
    const reply = await this.adminRaw(type, fields);
    if (reply.type === 'error') throw new Error(`${type} was refused: ${JSON.stringify(reply)}`);
    return reply;
  }

  /** The callsigns waiting, in order, as `get_queue_status` shows them. */
  async queueCallsigns(): Promise<string[]> {
    const reply = await this.request('get_queue_status');
    return (reply.data as { queue: { callsign: string }[] }).queue.map((entry) => entry.callsign);
  }

  async login(credentials: { username: string; password: string } = ADMIN): Promise<string> {
    const reply = await this.request('auth_request', credentials);
    if (reply.type !== 'auth_response') throw new Error(`login failed: ${JSON.stringify(reply)}`);
    this.token = reply.session_token as string;
    return this.token;
  }

  /** Sends raw text and resolves with the next reply (request_id null replies included). */
  async raw(payload: string | Buffer, options: { binary?: boolean } = {}): Promise<Json> {
    const from = this.received.length;
    const reply = this.next(
      (m) => (m.type === 'error' || m.type === 'success' || m.type === 'pong') && this.received.indexOf(m) >= from,
    );
    this.ws.send(payload, { binary: options.binary ?? false });
    return (await reply) as unknown as Json;
  }

  close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      this.ws.once('close', () => resolve());
      this.ws.close();
    });
  }
}

/** A logged-in admin client with the system switched on. */
export async function activeAdmin(server: RunningServer): Promise<TestClient> {
  const admin = await TestClient.connect(server.url);
  await admin.login();
  await admin.admin('admin_toggle_system', { active: true });
  return admin;
}
