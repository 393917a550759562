/**
 * WebSocket clients for the benchmarks, built on `ws`. `openSocket` gives a raw socket once the
 * server's welcome frame arrived (both servers send one), for hot loops that must stay cheap;
 * `RpcClient` pairs replies with requests by `request_id`, for set-up and admin steps.
 */
import { type ClientOptions, type RawData, WebSocket } from 'ws';
import { withTimeout } from './timing.js';

export interface Frame {
  type: string;
  request_id?: unknown;
  data?: Record<string, unknown>;
  error_code?: string;
  session_token?: string;
  [key: string]: unknown;
}

export function parseFrame(data: RawData): Frame {
  const value: unknown = JSON.parse(data.toString());
  if (typeof value !== 'object' || value === null || typeof (value as { type?: unknown }).type !== 'string') {
    throw new Error(`not a protocol frame: ${data.toString().slice(0, 120)}`);
  }
  return value as Frame;
}

/** Opens a connection and resolves after its first (welcome) frame. */
export function openSocket(url: string, timeoutMs = 10_000, options: ClientOptions = {}): Promise<WebSocket> {
  const ws = new WebSocket(url, { perMessageDeflate: false, ...options });
  const welcomed = new Promise<WebSocket>((resolve, reject) => {
    ws.once('message', () => {
      ws.off('error', reject);
      ws.on('error', () => undefined);
      resolve(ws);
    });
    ws.once('error', reject);
    ws.once('close', (code) => reject(new Error(`closed (${code}) before the welcome frame`)));
  });
  return withTimeout(welcomed, timeoutMs, `welcome from ${url}`).catch((error: unknown) => {
    ws.terminate();
    throw error;
  });
}

/** Opens `count` connections, at most `concurrency` handshakes at a time. */
export async function openSockets(url: string, count: number, concurrency: number, timeoutMs = 30_000): Promise<WebSocket[]> {
  const sockets: WebSocket[] = [];
  const deadline = performance.now() + timeoutMs;
  try {
    while (sockets.length < count) {
      if (performance.now() > deadline) throw new Error(`opened only ${sockets.length} of ${count} connections in ${timeoutMs} ms`);
      const batch = Math.min(concurrency, count - sockets.length);
      sockets.push(...(await Promise.all(Array.from({ length: batch }, () => openSocket(url)))));
    }
  } catch (error) {
    closeAll(sockets);
    throw error;
  }
  return sockets;
}

export function closeAll(sockets: readonly WebSocket[]): void {
  for (const ws of sockets) ws.terminate();
}

/** Replies carry this key, right after their type; broadcasts never do (callsigns cannot contain it). */
const REQUEST_ID_KEY = '"request_id"';
/** Where a reply's `request_id` key ends at the latest (`{"type":"auth_response","request_id"`). */
const REQUEST_ID_WITHIN = 64;

/** Request/reply over one connection; frames without a pending `request_id` count as broadcasts. */
export class RpcClient {
  broadcasts = 0;
  /** Bytes of the broadcasts counted. */
  broadcastBytes = 0;
  private counter = 0;
  private readonly pending = new Map<string, (frame: Frame) => void>();

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      // Broadcasts (up to 100 queue entries each) are counted without parsing or reading them
      // whole, so that the client side stays cheap while the server fans them out.
      if (Buffer.isBuffer(data) && !data.subarray(0, REQUEST_ID_WITHIN).includes(REQUEST_ID_KEY)) {
        this.broadcasts += 1;
        this.broadcastBytes += data.length;
        return;
      }
      const frame = parseFrame(data);
      const id = typeof frame.request_id === 'string' ? frame.request_id : undefined;
      const resolve = id === undefined ? undefined : this.pending.get(id);
      if (id === undefined || resolve === undefined) {
        this.broadcasts += 1;
        return;
      }
      this.pending.delete(id);
      resolve(frame);
    });
  }

  /**
   * The load generator shares this machine's two cores with the server, so these clients do not
   * check the UTF-8 of what they receive (11 frames of 15 KB per registration in row 3a); the
   * fuzz campaign's raw sockets still do.
   */
  static async connect(url: string): Promise<RpcClient> {
    return new RpcClient(await openSocket(url, 10_000, { skipUTF8Validation: true }));
  }

  /** Sends `body` with a fresh `request_id` and resolves with its reply (error replies included). */
  request(body: Record<string, unknown>, timeoutMs = 10_000): Promise<Frame> {
    this.counter += 1;
    const id = `rpc-${this.counter}`;
    const reply = new Promise<Frame>((resolve) => this.pending.set(id, resolve));
    this.ws.send(JSON.stringify({ ...body, request_id: id }));
    return withTimeout(reply, timeoutMs, `reply to ${String(body.type)}`).finally(() => this.pending.delete(id));
  }

  /** Like `request`, but anything except `expectedType` is an error. */
  async expect(body: Record<string, unknown>, expectedType = 'success', timeoutMs = 10_000): Promise<Frame> {
    const reply = await this.request(body, timeoutMs);
    if (reply.type !== expectedType) {
      throw new Error(`${String(body.type)} answered ${reply.type} ${reply.error_code ?? ''}: ${JSON.stringify(reply).slice(0, 200)}`);
    }
    return reply;
  }

  /** Logs in as the operator and returns the session token. */
  async login(username: string, password: string): Promise<string> {
    const reply = await this.expect({ type: 'auth_request', username, password }, 'auth_response');
    if (typeof reply.session_token !== 'string') throw new Error('auth_response without a session_token');
    return reply.session_token;
  }

  close(): void {
    this.ws.terminate();
  }
}
