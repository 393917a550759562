/**
 * One `http.Server` on one port: the WebSocket at `/api/ws`, `GET /health`, and (later) the
 * pages. Broadcasts from the core go to every connection after they were persisted.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { type RawData, WebSocket, WebSocketServer } from 'ws';
import { isoAt } from '../time/clock.js';
import { HEALTH_PATH, MAX_PAYLOAD_BYTES, WS_PATH } from '../protocol/endpoints.js';
import { ErrorCode } from '../protocol/errors.js';
import { requestTypes } from '../protocol/requests.js';
import { API_VERSION, SERVER_VERSION } from '../version.js';
import { SerialQueue } from '../async/serial-queue.js';
import { type Broadcast, isPublicBroadcast } from '../protocol/broadcasts.js';
import { broadcastJson } from '../protocol/broadcast-json.js';
import type { Reply } from '../protocol/envelopes.js';
import { dispatch, parseRequest } from './dispatch.js';
import type { GatewayContext } from './handlers.js';
import { hasTokenInQuery, isAllowedHost, isAllowedOrigin, type OriginPolicy } from './origin-check.js';
import { failure } from '../protocol/reply.js';
import { serveLogAdif } from './adif-http.js';
import { guardRequests, guardUpgrades, refuseUpgrade, type RequestHandler, type UpgradeHandler } from './request-guard.js';
import { serveStaticPage } from './static-pages.js';
import { WriteCoalescer } from './write-coalescer.js';

/**
 * A connection with this many requests waiting for their replies stops being read until half of
 * them are answered, so a flooding client is slowed by TCP instead of growing our memory. Frames
 * already read from the socket (one read, at most 64 KiB) are still queued.
 */
export const MAX_QUEUED_REQUESTS = 256;

export interface GatewayOptions {
  /** How often dead peers are looked for; a peer that missed one ping is terminated. */
  heartbeatMs?: number;
  /** A client whose unsent data grows past this is cut off rather than growing our memory. */
  maxBufferedBytes?: number;
  /** Which browsers and Host names are accepted (see origin-check.ts); none extra by default. */
  originPolicy?: OriginPolicy;
  onUnexpected: (error: unknown) => void;
}

interface Peer {
  id: string;
  /** The connection's TCP socket, for writes held until the end of a turn. */
  socket: Duplex;
  address: string;
  alive: boolean;
  /** Requests on one connection are answered in the order they were sent. */
  requests: SerialQueue;
  /** The last operator token this connection used: operator broadcasts go where it is valid. */
  sessionToken: string | undefined;
}

/** Counters for soak runs and tests: how the gateway protected itself. */
export interface GatewayStats {
  clients: number;
  /** The most requests ever waiting on one connection. */
  peakQueuedRequests: number;
  /** Peers terminated for missing a heartbeat. */
  reapedDead: number;
  /** Peers cut off because they did not read what we sent. */
  cutOffSlow: number;
}

export interface Gateway {
  server: http.Server;
  listen(port: number, host: string): Promise<AddressInfo>;
  clientCount(): number;
  stats(): GatewayStats;
  close(): Promise<void>;
}

const FEATURES = [...requestTypes, 'broadcasts', 'ordered_replies'];

export function createGateway(context: GatewayContext, options: GatewayOptions): Gateway {
  const heartbeatMs = options.heartbeatMs ?? 30_000;
  const maxBufferedBytes = options.maxBufferedBytes ?? 4 * 1024 * 1024;
  const { onUnexpected } = options;
  const policy = options.originPolicy ?? { allowedHosts: [], allowedOrigins: [] };
  const startedAt = context.clock();
  const peers = new Map<WebSocket, Peer>();
  const counters = { peakQueuedRequests: 0, reapedDead: 0, cutOffSlow: 0 };
  const writes = new WriteCoalescer();

  const route: RequestHandler = (req, res, target) => {
    if (hasTokenInQuery(target.query)) {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Tokens are never accepted in URLs; send them in the Authorization header.\n');
      return;
    }
    if (req.method === 'GET' && target.pathname === HEALTH_PATH) {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(
        JSON.stringify({
          status: 'ok',
          version: SERVER_VERSION,
          api_version: API_VERSION,
          uptime_s: Math.floor((context.clock() - startedAt) / 1000),
          clients: peers.size,
        }),
      );
      return;
    }
    if (!isAllowedHost(req.headers.host, policy)) {
      res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Unknown Host name; the operator can allow it with ALLOWED_HOSTS.\n');
      return;
    }
    const serving = serveLogAdif(req, res, target.pathname, context) ?? serveStaticPage(req, res, target.pathname);
    if (serving !== undefined) return serving;
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: 'not found' }));
  };
  const server = http.createServer(guardRequests(route, onUnexpected));

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_PAYLOAD_BYTES });

  const upgrade: UpgradeHandler = (req, socket, head, target) => {
    if (target.pathname !== WS_PATH) {
      refuseUpgrade(socket, 404);
      return;
    }
    if (hasTokenInQuery(target.query)) {
      refuseUpgrade(socket, 400, 'Tokens are never accepted in URLs; send session_token in the message.\n');
      return;
    }
    if (!isAllowedOrigin(req.headers.origin, req.headers.host, policy)) {
      refuseUpgrade(socket, 403, 'This origin may not connect; the operator can allow it with ALLOWED_ORIGINS.\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  };
  server.on('upgrade', guardUpgrades(upgrade, onUnexpected));

  /** `frame` is JSON text; a broadcast comes encoded once, as a Buffer, for all its connections. */
  function send(ws: WebSocket, peer: Peer, frame: string | Buffer): void {
    if (ws.readyState !== WebSocket.OPEN) return;
    if (ws.bufferedAmount > maxBufferedBytes) {
      counters.cutOffSlow += 1;
      ws.terminate();
      return;
    }
    writes.hold(peer.socket);
    ws.send(frame, { binary: false });
  }

  wss.on('connection', (ws: WebSocket, req: http.IncomingMessage) => {
    const peer: Peer = {
      id: randomBytes(8).toString('hex'),
      socket: req.socket,
      address: req.socket.remoteAddress ?? 'unknown',
      alive: true,
      requests: new SerialQueue(),
      sessionToken: undefined,
    };
    peers.set(ws, peer);
    ws.on('pong', () => {
      peer.alive = true;
    });
    ws.on('error', () => ws.terminate());
    ws.on('close', () => {
      peers.delete(ws);
      context.throttle.forgetConnection(peer.id);
    });
    ws.on('message', (data: RawData, isBinary: boolean) => {
      peer.alive = true;
      const handle = async (): Promise<void> => {
        try {
          send(ws, peer, JSON.stringify(await answer(peer, data, isBinary)));
        } catch (error) {
          // dispatch answers every error itself; this only keeps the connection's queue alive.
          onUnexpected(error);
        } finally {
          if (ws.isPaused && peer.requests.size <= MAX_QUEUED_REQUESTS / 2 && ws.readyState === WebSocket.OPEN) ws.resume();
        }
      };
      void peer.requests.run(handle);
      counters.peakQueuedRequests = Math.max(counters.peakQueuedRequests, peer.requests.size);
      if (peer.requests.size >= MAX_QUEUED_REQUESTS && !ws.isPaused) ws.pause();
    });
    send(
      ws,
      peer,
      JSON.stringify({
        type: 'welcome',
        timestamp: isoAt(context.clock()),
        data: { server_version: SERVER_VERSION, api_version: API_VERSION, connection_id: peer.id, features: FEATURES },
      }),
    );
  });

  /** One frame to its reply; the connection remembers the operator token it used. */
  async function answer(peer: Peer, data: RawData, isBinary: boolean): Promise<Reply> {
    if (isBinary) return failure(null, ErrorCode.INVALID_REQUEST, 'Binary frames are not supported; send JSON text');
    const parsed = parseRequest(data.toString());
    if ('reply' in parsed) return parsed.reply;
    const token = (parsed.message as { session_token?: unknown } | null)?.session_token;
    if (typeof token === 'string') peer.sessionToken = token;
    const reply = await dispatch(parsed.message, { connectionId: peer.id, address: peer.address }, context, onUnexpected);
    if (reply.type === 'auth_response') peer.sessionToken = reply.session_token;
    return reply;
  }

  const isOperator = (peer: Peer) => peer.sessionToken !== undefined && context.sessions.check(peer.sessionToken) === 'valid';

  const onBroadcast = (message: Broadcast) => {
    const frame = Buffer.from(broadcastJson(message));
    const everyone = isPublicBroadcast(message);
    for (const [ws, peer] of peers) if (everyone || isOperator(peer)) send(ws, peer, frame);
  };
  context.service.on('broadcast', onBroadcast);

  const heartbeat = setInterval(() => {
    for (const [ws, peer] of peers) {
      if (!peer.alive) {
        counters.reapedDead += 1;
        ws.terminate();
        continue;
      }
      peer.alive = false;
      ws.ping();
    }
  }, heartbeatMs);
  heartbeat.unref();

  return {
    server,
    listen(port, host) {
      return new Promise((resolve, reject) => {
        const onError = (error: Error) => reject(error);
        server.once('error', onError);
        server.listen(port, host, () => {
          server.off('error', onError);
          resolve(server.address() as AddressInfo);
        });
      });
    },
    clientCount: () => peers.size,
    stats: () => ({ clients: peers.size, ...counters }),
    async close() {
      clearInterval(heartbeat);
      context.service.off('broadcast', onBroadcast);
      for (const ws of peers.keys()) ws.close(1001, 'Server shutting down');
      await Promise.all([...peers.values()].map((peer) => peer.requests.drain()));
      writes.release();
      for (const ws of peers.keys()) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
    },
  };
}
