/**
 * The baseline: a bare `ws` server doing the same per-message work as Pileup's gateway without
 * anything else — JSON.parse the request, build an equivalent reply object, JSON.stringify it,
 * send it. `admin_set_split` also broadcasts a `frequency_update` of the same shape to every
 * connection (stringified once, like the gateway). `register_callsign` keeps the caller in a
 * queue in memory and broadcasts a `queue_update` with the first 100 entries, each with the
 * fields Pileup sends (a fixed country and position, where Pileup looks them up), so the fan-out
 * moves as many bytes. No validation, auth, persistence or ordering.
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
  queue: object[];
}

/**
 * A country and position as Pileup derives them (server/country) for the benchmark's US calls,
 * for every entry: the frames come out as large as Pileup's (the benchmark's notes print both).
 */
const COUNTRY = { country: 'United States', dxcc: 291, continent: 'NA', cq_zone: 5 };
const POSITION = { lat: 37.6, lon: -91.87 };
/** Pileup's `queue_update` carries the first 100 waiting (PROTOCOL.md). */
const BROADCAST_ENTRIES = 100;

interface BareRequest {
  type?: unknown;
  request_id?: unknown;
  split?: unknown;
  callsign?: unknown;
  active?: unknown;
  max_queue_size?: unknown;
}

function requestOf(data: RawData): BareRequest {
  const value: unknown = JSON.parse(data.toString());
  return typeof value === 'object' && value !== null ? value : {};
}

function statusOf(state: BareState): object {
  return {
    system_active: state.active,
    queue_size: state.queue.length,
    max_queue_size: state.maxQueueSize,
    current_qso: null,
    queue: state.queue,
    registration_enabled: state.active && state.queue.length < state.maxQueueSize,
    frequency: state.frequency,
    mode: state.mode,
    split: state.split,
  };
}

export function startBareServer(host: string, port: number): Promise<BareServer> {
  const state: BareState = { active: false, maxQueueSize: 4, frequency: null, mode: null, split: null, queue: [] };
  const wss = new WebSocketServer({ host, port, path: '/api/ws', maxPayload: 64 * 1024 });

  const broadcastQueue = (changeType: string, callsign: string | null): void => {
    const frame = Buffer.from(
      JSON.stringify({
        type: 'queue_update',
        timestamp: new Date().toISOString(),
        data: { total: state.queue.length, max_size: state.maxQueueSize, change_type: changeType, affected_callsign: callsign, queue: state.queue.slice(0, BROADCAST_ENTRIES) },
      }),
    );
    for (const client of wss.clients) if (client.readyState === WebSocket.OPEN) client.send(frame, { binary: false });
  };

  /** The queue's requests; undefined for the rest. */
  const queueReply = (request: BareRequest, requestId: string | null): object | undefined => {
    const success = (message: string, data: object) => ({ type: 'success', request_id: requestId, message, data });
    switch (request.type) {
      case 'admin_toggle_system':
        state.active = request.active === true;
        return success('System toggled', { active: state.active });
      case 'admin_set_max_queue_size':
        state.maxQueueSize = Number(request.max_queue_size);
        return success('Max queue size set', { max_queue_size: state.maxQueueSize });
      case 'admin_clear_queue': {
        const cleared = state.queue.length;
        state.queue = [];
        broadcastQueue('cleared', null);
        return success('Queue cleared', { cleared_count: cleared });
      }
      case 'register_callsign': {
        if (state.queue.length >= state.maxQueueSize) {
          return { type: 'error', request_id: requestId, error_code: 'QUEUE_FULL', message: 'Queue is full' };
        }
        const callsign = String(request.callsign);
        const position = state.queue.length + 1;
        state.queue.push({ callsign, position, timestamp: new Date().toISOString(), ...COUNTRY, ...POSITION });
        broadcastQueue('registered', callsign);
        return success('Callsign registered successfully', { callsign, position, total_queue: state.queue.length, ...COUNTRY });
      }
      default:
        return undefined;
    }
  };

  const reply = (ws: WebSocket, data: RawData): void => {
    let request;
    try {
      request = requestOf(data);
    } catch {
      ws.send(JSON.stringify({ type: 'error', request_id: null, error_code: 'INVALID_REQUEST', message: 'Message is not valid JSON' }));
      return;
    }
    const requestId = typeof request.request_id === 'string' ? request.request_id : null;
    const queued = queueReply(request, requestId);
    if (queued !== undefined) {
      ws.send(JSON.stringify(queued));
      return;
    }
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
