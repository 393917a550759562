import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LinkEvent } from './server-link.js';
import { memorySessionStore, type SessionStore } from './session-storage.js';
import { type SocketLike, WebSocketLink, wsUrlFor } from './websocket-link.js';

type Listener = (event: { data: unknown }) => void;

/** A socket the test drives: it opens, answers and drops when told to. */
class FakeSocket implements SocketLike {
  readyState = 0;
  readonly sent: Record<string, unknown>[] = [];
  private readonly listeners = new Map<string, Listener[]>();

  addEventListener(type: string, listener: Listener): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  send(data: string): void {
    this.sent.push(JSON.parse(data) as Record<string, unknown>);
  }

  close(): void {
    this.drop();
  }

  open(): void {
    this.readyState = 1;
    this.fire('open', {});
  }

  drop(): void {
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.fire('close', {});
  }

  receive(message: object): void {
    this.fire('message', { data: JSON.stringify(message) });
  }

  /** Answers the last request sent with `reply` (its request_id filled in). */
  reply(reply: Record<string, unknown>): void {
    this.receive({ ...reply, request_id: this.sent.at(-1)?.request_id });
  }

  private fire(type: string, event: { data?: unknown }): void {
    for (const listener of this.listeners.get(type) ?? []) listener({ data: event.data });
  }
}

const TOKEN = 'a'.repeat(64);
let sockets: FakeSocket[];
let sessions: SessionStore;
let link: WebSocketLink;
let events: LinkEvent[];

function connect(keepAliveMs = 60_000): FakeSocket {
  link = new WebSocketLink({
    url: 'ws://192.168.1.20:8000/api/ws',
    sessions,
    keepAliveMs,
    requestTimeoutMs: 5000,
    createSocket: () => {
      const socket = new FakeSocket();
      sockets.push(socket);
      return socket;
    },
  });
  link.subscribe((event) => events.push(event));
  const socket = sockets.at(-1) as FakeSocket;
  socket.open();
  return socket;
}

beforeEach(() => {
  vi.useFakeTimers();
  sockets = [];
  events = [];
  sessions = memorySessionStore();
});

afterEach(() => {
  link.close();
  vi.useRealTimers();
});

describe('requests', () => {
  it('pairs each reply with its request by request_id, whatever the order', async () => {
    const socket = connect();
    const first = link.request({ type: 'get_queue_status' });
    const second = link.request({ type: 'get_current_qso' });
    const [a, b] = socket.sent;
    socket.receive({ type: 'success', request_id: b?.request_id, message: 'second' });
    socket.receive({ type: 'success', request_id: a?.request_id, message: 'first' });
    expect(await first).toMatchObject({ message: 'first' });
    expect(await second).toMatchObject({ message: 'second' });
  });

  it('fails at once, without sending, while offline', async () => {
    const socket = connect();
    socket.drop();
    await expect(link.request({ type: 'ping' })).rejects.toThrow('Not connected to the server');
  });

  it('fails the requests still waiting when the link drops', async () => {
    const socket = connect();
    const pending = link.request({ type: 'admin_work_next' });
    socket.drop();
    await expect(pending).rejects.toThrow('Not connected to the server');
  });

  it('fails a request the server never answers', async () => {
    connect();
    const pending = link.request({ type: 'ping' });
    const check = expect(pending).rejects.toThrow('did not answer in time');
    await vi.advanceTimersByTimeAsync(5000);
    await check;
  });
});

describe('broadcasts', () => {
  it('passes broadcasts on, and keeps the welcome for info()', async () => {
    const socket = connect();
    socket.receive({ type: 'welcome', timestamp: 'x', data: { server_version: '0.1.0', api_version: '1.0', connection_id: 'c', features: [] } });
    socket.receive({ type: 'system_status_update', timestamp: 'x', data: { active: true, changed_by: 'admin' } });
    expect(events.filter((event) => event.kind === 'broadcast')).toEqual([
      { kind: 'broadcast', message: expect.objectContaining({ type: 'system_status_update' }) },
    ]);
    expect(await link.info()).toMatchObject({ version: '0.1.0', wsUrls: ['ws://192.168.1.20:8000/api/ws'] });
  });

  it('ignores frames that are not JSON objects', () => {
    const socket = connect();
    socket.receive({ no: 'type' });
    expect(events.filter((event) => event.kind === 'broadcast')).toEqual([]);
  });
});

describe('operator session', () => {
  it('keeps the token from a login and sends it with every request after', async () => {
    const socket = connect();
    const login = link.login('admin', 'secret-pass');
    expect(socket.sent[0]).toMatchObject({ type: 'auth_request', username: 'admin', password: 'secret-pass' });
    expect(socket.sent[0]).not.toHaveProperty('session_token');
    socket.reply({ type: 'auth_response', success: true, authenticated: true, session_token: TOKEN, expires_at: 'x', message: 'ok' });
    await login;
    expect(sessions.read()).toEqual({ token: TOKEN, username: 'admin' });
    expect(events).toContainEqual({ kind: 'session', loggedIn: true });
    link.request({ type: 'admin_work_next' }).catch(() => undefined);
    expect(socket.sent[1]).toMatchObject({ type: 'admin_work_next', session_token: TOKEN });
  });

  it('forgets the token when the server no longer accepts it', async () => {
    sessions.write({ token: TOKEN, username: 'admin' });
    const socket = connect();
    socket.reply({ type: 'pong', timestamp: 'x', server_time: 'x', session_valid: true });
    const request = link.request({ type: 'admin_work_next' });
    socket.reply({ type: 'error', error_code: 'SESSION_EXPIRED', message: 'expired' });
    await request;
    expect(link.loggedIn).toBe(false);
    expect(events).toContainEqual({ kind: 'session', loggedIn: false });
  });

  it('checks a kept token on connect, and logs out when it was revoked meanwhile', async () => {
    sessions.write({ token: TOKEN, username: 'admin' });
    const socket = connect();
    expect(socket.sent[0]).toMatchObject({ type: 'ping', session_token: TOKEN });
    socket.reply({ type: 'pong', timestamp: 'x', server_time: 'x', session_valid: false });
    await vi.waitFor(() => expect(link.loggedIn).toBe(false));
  });

  it('logs out here even when the server cannot be told', async () => {
    sessions.write({ token: TOKEN, username: 'admin' });
    const socket = connect();
    socket.drop();
    await link.logout();
    expect(sessions.read()).toBeNull();
  });
});

describe('reconnecting', () => {
  it('reports the lost link, retries with backoff, and reports online again', async () => {
    const socket = connect();
    socket.drop();
    const offline = events.findLast((event) => event.kind === 'connection');
    expect(offline).toMatchObject({ state: { status: 'offline', attempt: 1 } });
    expect(sockets).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(sockets).toHaveLength(2);
    (sockets[1] as FakeSocket).drop();
    expect(link.connection).toMatchObject({ status: 'offline', attempt: 2 });
    await vi.advanceTimersByTimeAsync(2000);
    (sockets[2] as FakeSocket).open();
    expect(link.connection).toEqual({ status: 'online' });
  });

  it('starts the backoff again after a successful reconnect', async () => {
    const socket = connect();
    socket.drop();
    await vi.advanceTimersByTimeAsync(1000);
    (sockets[1] as FakeSocket).open();
    (sockets[1] as FakeSocket).drop();
    expect(link.connection).toMatchObject({ status: 'offline', attempt: 1 });
  });

  it('closes a link whose keep-alive ping goes unanswered, so it reconnects', async () => {
    const socket = connect(10_000);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(socket.sent.at(-1)).toMatchObject({ type: 'ping' });
    await vi.advanceTimersByTimeAsync(5000);
    expect(link.connection.status).toBe('offline');
  });

  it('stays closed after close()', async () => {
    const socket = connect();
    link.close();
    socket.drop();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(sockets).toHaveLength(1);
  });
});

describe('wsUrlFor', () => {
  it('points at /api/ws on the host that served the page, over wss behind https', () => {
    expect(wsUrlFor({ protocol: 'http:', host: '192.168.1.20:8000' })).toBe('ws://192.168.1.20:8000/api/ws');
    expect(wsUrlFor({ protocol: 'https:', host: 'pileup.example' })).toBe('wss://pileup.example/api/ws');
  });
});
