/**
 * Fuzzing the wire, bounded for npm test (fixed seeds; FC_SEED / FC_RUNS override): every
 * hostile frame is answered with an error or a close, no invalid frame changes the state, a
 * flood of 10,000 messages from one client is answered in order while the server reads no more
 * than it can hold, and a client that does not read is cut off. The long campaign is
 * `npm run fuzz` (bench/fuzz-campaign.ts).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { ALL_FUZZ, type FuzzFrame, withToken } from '../../bench/fuzz-inputs.js';
import { MAX_QUEUED_REQUESTS } from '../../server/gateway/gateway.js';
import { BROADCAST_AUDIENCE } from '../../server/protocol/broadcasts.js';
import { MAX_PAYLOAD_BYTES } from '../../server/protocol/endpoints.js';
import { activeAdmin, startTestServer, TestClient, type TestServer } from '../support/harness.js';

const SEED = Number(process.env.FC_SEED ?? 4242);
const RUNS = Number(process.env.FC_RUNS ?? 150);
/** Close codes a hostile frame may earn: invalid UTF-8 (1007), too big (1009), bad framing (1002). */
const ACCEPTABLE_CLOSES = [1002, 1007, 1009];

type Outcome = { kind: 'reply'; reply: Record<string, unknown> } | { kind: 'close'; code: number };

function openRaw(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('message', () => resolve(ws));
    ws.once('error', reject);
    // A hostile frame may end in a reset; the close event reports it.
    ws.on('error', () => undefined);
  });
}

/**
 * Sends one frame and resolves with the first reply or the close, whichever comes first. A frame
 * carrying the operator's token makes the connection an operator's, so broadcasts (a bridge's
 * state, say) may arrive meanwhile: they are not replies.
 */
function exchange(ws: WebSocket, payload: Buffer, binary: boolean): Promise<Outcome> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const message = JSON.parse(data.toString()) as Record<string, unknown>;
      if (typeof message.type === 'string' && message.type in BROADCAST_AUDIENCE) return;
      cleanup();
      resolve({ kind: 'reply', reply: message });
    };
    const onClose = (code: number) => {
      cleanup();
      resolve({ kind: 'close', code });
    };
    const cleanup = () => {
      ws.off('message', onMessage);
      ws.off('close', onClose);
    };
    ws.on('message', onMessage);
    ws.once('close', onClose);
    ws.send(payload, { binary });
  });
}

/** Everything an invalid message must leave alone, read through the trusted local path. */
async function fullState(server: TestServer): Promise<unknown> {
  const data = async (type: string, fields = {}) => ((await server.localRequest({ type, ...fields })) as { data: unknown }).data;
  return { status: await data('admin_get_status'), controls: await data('admin_get_controls'), log: await data('admin_get_log', { limit: 500 }) };
}

describe('fuzzing the wire', () => {
  let server: TestServer;
  let operator: TestClient;
  let token: string;
  let before: unknown;

  beforeAll(async () => {
    server = await startTestServer();
    operator = await activeAdmin(server);
    token = operator.token as string;
    for (const callsign of ['EA1ABC', 'DL1ABC']) await operator.request('register_callsign', { callsign });
    await operator.admin('admin_send_qso', { callsign: 'G0ABC', frequency: '14.195', mode: 'SSB' });
    await operator.admin('admin_ban_callsign', { callsign: 'W1AW', reason: 'fuzz fixture' });
    before = await fullState(server);
  });

  afterAll(async () => {
    await operator.close();
    await server.dispose();
  });

  it.each(Object.keys(ALL_FUZZ) as (keyof typeof ALL_FUZZ)[])(
    'answers every %s frame with an error or a close, and changes nothing',
    async (category) => {
      let ws = await openRaw(server.url);
      await fc.assert(
        fc.asyncProperty(ALL_FUZZ[category], async (frame: FuzzFrame) => {
          const outcome = await exchange(ws, withToken(frame, token), frame.binary);
          if (outcome.kind === 'close') {
            expect(ACCEPTABLE_CLOSES).toContain(outcome.code);
            ws = await openRaw(server.url);
          } else {
            expect(outcome.reply).toMatchObject({ type: 'error', error_code: 'INVALID_REQUEST' });
          }
        }),
        { seed: SEED, numRuns: RUNS },
      );
      ws.terminate();
      expect(await fullState(server)).toEqual(before);
      // The connection that sent nothing hostile is still served.
      expect(await operator.request('ping')).toMatchObject({ type: 'pong' });
    },
  );

  it('answers 10,000 messages sent at once from one client, in order, reading no more than it can hold', async () => {
    const ws = await openRaw(server.url);
    const COUNT = 10_000;
    const replies: unknown[] = [];
    const done = new Promise<void>((resolve) => {
      ws.on('message', (data) => {
        replies.push((JSON.parse(data.toString()) as { request_id: unknown }).request_id);
        if (replies.length === COUNT) resolve();
      });
    });
    const bodies = ['{"type":"register_callsign","callsign":"NOT A CALL"', '{"type":"get_queue_status"', '{"type":"admin_clear_queue"'];
    for (let i = 0; i < COUNT; i++) ws.send(`${bodies[i % bodies.length]},"request_id":${i}}`);
    await done;
    expect(replies).toEqual(Array.from({ length: COUNT }, (_, i) => i));
    // Reading stops at MAX_QUEUED_REQUESTS; frames already read from the socket (one read of at
    // most 64 KiB, and these frames are over 30 bytes) may still be queued.
    expect(server.gateway.stats().peakQueuedRequests).toBeLessThanOrEqual(MAX_QUEUED_REQUESTS + Math.ceil(MAX_PAYLOAD_BYTES / 30));
    ws.terminate();
    expect(await fullState(server)).toEqual(before);
  });
});

describe('slow readers', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ maxBufferedBytes: 64 * 1024 });
    // A long queue makes every status reply several kilobytes.
    const operator = await activeAdmin(server);
    await operator.admin('admin_set_max_queue_size', { max_queue_size: 1000 });
    for (let i = 1; i <= 100; i++) await operator.request('register_callsign', { callsign: `K${i}AB` });
    await operator.close();
  });

  afterAll(() => server.dispose());

  it('cuts off a client that keeps asking but never reads, instead of buffering for it', async () => {
    const ws = await openRaw(server.url);
    const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
    // Stop reading: replies pile up in the kernel, then in the server's send buffer.
    ws.pause();
    const request = JSON.stringify({ type: 'get_queue_status' });
    for (let i = 0; i < 5_000 && ws.readyState === WebSocket.OPEN; i++) {
      ws.send(request);
      if (i % 500 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    ws.resume();
    await closed;
    expect(server.gateway.stats().cutOffSlow).toBeGreaterThanOrEqual(1);
    const other = await TestClient.connect(server.url);
    expect(await other.request('ping')).toMatchObject({ type: 'pong' });
    await other.close();
  });
});
