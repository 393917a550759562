/**
 * One `http.Server` on one port: the WebSocket at `/api/ws`, `GET /health`, and (later) the
 * pages. Broadcasts from the core go to every connection after they were persisted.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type RawData, WebSocket, WebSocketServer } from 'ws';
import { isoAt } from '../core/clock.js';
import { ErrorCode } from '../protocol/errors.js';
import { requestTypes } from '../protocol/requests.js';
import { API_VERSION, SERVER_VERSION } from '../version.js';
import { dispatch } from './dispatch.js';
import type { GatewayContext } from './handlers.js';
import { failure } from './replies.js';
import { serveStaticPage } from './static-pages.js';

export const WS_PATH = '/api/ws';
export const MAX_PAYLOAD_BYTES = 64 * 1024;

export interface GatewayOptions {
  /** How often dead peers are looked for; a peer that missed one ping is terminated. */
  heartbeatMs?: number;
  /** A client whose unsent data grows past this is cut off rather than growing our memory. */
  maxBufferedBytes?: number;
  onUnexpected: (error: unknown) => void;
}

interface Peer {
  id: string;
  address: string;
  alive: boolean;
  /** Requests on one connection are answered in the order they were sent. */
  pending: Promise<void>;
}

export interface Gateway {
  server: http.Server;
  listen(port: number, host: string): Promise<AddressInfo>;
  clientCount(): number;
  close(): Promise<void>;
}

const FEATURES = [...requestTypes, 'broadcasts', 'ordered_replies'];

export function createGateway(context: GatewayContext, options: GatewayOptions): Gateway {
  const heartbeatMs = options.heartbeatMs ?? 30_000;
  const maxBufferedBytes = options.maxBufferedBytes ?? 4 * 1024 * 1024;
  const { onUnexpected } = options;
  const startedAt = context.clock();
  const peers = new Map<WebSocket, Peer>();

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'GET' && url.pathname === '/health') {
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
    if (serveStaticPage(req, res)) return;
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: 'not found' }));
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_PAYLOAD_BYTES });

  server.on('upgrade', (req, socket, head) => {
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (pathname !== WS_PATH) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  function send(ws: WebSocket, text: string): void {
    if (ws.readyState !== WebSocket.OPEN) return;
    if (ws.bufferedAmount > maxBufferedBytes) {
      ws.terminate();
      return;
    }
    ws.send(text);
  }

  wss.on('connection', (ws: WebSocket, req: http.IncomingMessage) => {
    const peer: Peer = {
      id: randomBytes(8).toString('hex'),
      address: req.socket.remoteAddress ?? 'unknown',
      alive: true,
      pending: Promise.resolve(),
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
      peer.pending = peer.pending.then(async () => {
        const reply = isBinary
          ? failure(null, ErrorCode.INVALID_REQUEST, 'Binary frames are not supported; send JSON text')
          : await dispatch(data.toString(), { connectionId: peer.id, address: peer.address }, context, onUnexpected);
        send(ws, JSON.stringify(reply));
      }).catch((error: unknown) => {
        // dispatch answers every error itself; this only keeps the connection's chain alive.
        onUnexpected(error);
      });
    });
    send(
      ws,
      JSON.stringify({
        type: 'welcome',
        timestamp: isoAt(context.clock()),
        data: { server_version: SERVER_VERSION, api_version: API_VERSION, connection_id: peer.id, features: FEATURES },
      }),
    );
  });

  const onBroadcast = (message: object) => {
    const text = JSON.stringify(message);
    for (const ws of peers.keys()) send(ws, text);
  };
  context.service.on('broadcast', onBroadcast);

  const heartbeat = setInterval(() => {
    for (const [ws, peer] of peers) {
      if (!peer.alive) {
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
    async close() {
      clearInterval(heartbeat);
      context.service.off('broadcast', onBroadcast);
      for (const ws of peers.keys()) ws.close(1001, 'Server shutting down');
      await Promise.all([...peers.values()].map((peer) => peer.pending));
      for (const ws of peers.keys()) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
    },
  };
}
