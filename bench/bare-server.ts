/**
 * The baseline: a bare `ws` server doing the same per-message work as Pileup's gateway without
 * anything else — JSON.parse the request, build an equivalent reply object, JSON.stringify it,
 * send it. `admin_set_split` also broadcasts a `frequency_update` of the same shape to every
 * connection (stringified once, like the gateway). No validation, auth, persistence or ordering.
 */
import type { AddressInfo } from 'node:net';
import { type RawData, WebSocket, WebSocketServer } from 'ws';

export interface BareServer {
  url: string;
  close(): Promise<void>;
}

interface BareState {
  active: boolean;
  maxQueueSize: number;
  frequency: string | null;
  mode: string | null;
  split: string | null;
}

function requestOf(data: RawData): { type?: unknown; request_id?: unknown; split?: unknown } {
  const value: unknown = JSON.parse(data.toString());
  return typeof value === 'object' && value !== null ? value : {};
}

function statusOf(state: BareState): object {
  return {
    system_active: state.active,
    queue_size: 0,
    max_queue_size: state.maxQueueSize,
    current_qso: null,
    queue: [],
    registration_enabled: state.active,
    frequency: state.frequency,
    mode: state.mode,
    split: state.split,
  };
}

export function startBareServer(host: string, port: number): Promise<BareServer> {
  const state: BareState = { active: false, maxQueueSize: 4, frequency: null, mode: null, split: null };
  const wss = new WebSocketServer({ host, port, path: '/api/ws', maxPayload: 64 * 1024 });

  const reply = (ws: WebSocket, data: RawData): void => {
    let request;
    try {
      request = requestOf(data);
    } catch {
      ws.send(JSON.stringify({ type: 'error', request_id: null, error_code: 'INVALID_REQUEST', message: 'Message is not valid JSON' }));
      return;
    }
    const requestId = typeof request.request_id === 'string' ? request.request_id : null;
    if (request.type === 'admin_set_split') {
      state.split = String(request.split);
      const text = JSON.stringify({
        type: 'frequency_update',
        timestamp: new Date().toISOString(),
        data: { frequency: state.frequency, mode: state.mode, split: state.split },
      });
      for (const client of wss.clients) if (client.readyState === WebSocket.OPEN) client.send(text);
      const data = { frequency: state.frequency, mode: state.mode, split: state.split };
      ws.send(JSON.stringify({ type: 'success', request_id: requestId, message: 'Split set successfully', data }));
      return;
    }
    ws.send(JSON.stringify({ type: 'success', request_id: requestId, message: 'Queue status retrieved', data: statusOf(state) }));
  };

  wss.on('connection', (ws) => {
    ws.on('error', () => ws.terminate());
    ws.on('message', (data) => reply(ws, data));
    ws.send(
      JSON.stringify({
        type: 'welcome',
        timestamp: new Date().toISOString(),
        data: { server_version: 'bare', api_version: 'bare', connection_id: 'bare', features: [] },
      }),
    );
  });

  return new Promise((resolve, reject) => {
    wss.once('error', reject);
    wss.once('listening', () => {
      const address = wss.address() as AddressInfo;
      resolve({
        url: `ws://${host}:${address.port}/api/ws`,
        close: () =>
          new Promise<void>((done) => {
            for (const client of wss.clients) client.terminate();
            wss.close(() => done());
          }),
      });
    });
  });
}
