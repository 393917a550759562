/**
 * Runs every request example of the README, in order, against a live server and checks the
 * documented reply. `UPDATE_README=1 npx vitest run tests/readme` rewrites the reply blocks from
 * the live run instead (then review the diff).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { serverMessageSchema } from '../../server/protocol/envelopes.js';
import { broadcastSchema } from '../../server/protocol/broadcasts.js';
import { replySchemaFor } from '../../server/protocol/reply-data.js';
import { isRequestType, requestTypes } from '../../server/protocol/requests.js';
import { startTestServer, type TestServer } from '../support/harness.js';
import { mask, parseExamples, TOKEN_PLACEHOLDER, withReplies } from './examples.js';

const README = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../README.md');
const START = Date.parse('2025-07-23T10:30:00.000Z');

/** A clock that moves one second per reading: timestamps look like the guide's, and differ. */
function steppingClock(): () => number {
  let now = START;
  return () => (now += 1000);
}

function exchange(ws: WebSocket, request: Record<string, unknown>): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const message = JSON.parse(data.toString()) as Record<string, unknown>;
      if ('request_id' in message && message.request_id === request.request_id) {
        ws.off('message', onMessage);
        resolve(message);
      }
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify(request));
  });
}

describe('README API examples', () => {
  const markdown = readFileSync(README, 'utf8');
  const examples = parseExamples(markdown);
  let server: TestServer;
  let ws: WebSocket;

  beforeAll(async () => {
    server = await startTestServer({
      clock: steppingClock(),
      env: { ADMIN_USERNAME: 'admin', ADMIN_PASSWORD: 'your_password' },
    });
    ws = new WebSocket(server.url);
    await new Promise((resolve) => ws.once('open', resolve));
  });

  afterAll(async () => {
    ws.close();
    await server.dispose();
  });

  it('documents at least one example for every request type', () => {
    const documented = new Set(examples.map((e) => e.request.type));
    expect(requestTypes.filter((type) => !documented.has(type))).toEqual([]);
  });

  it('shows only frames the server can send in its other JSON examples', () => {
    const frames = [...markdown.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1] ?? ''));
    expect(frames.length).toBeGreaterThan(0);
    for (const frame of frames) expect(serverMessageSchema.safeParse(frame).success, JSON.stringify(frame)).toBe(true);
  });

  it('documents every reply in the shape the reply contract gives its request type', () => {
    for (const example of examples) {
      if (!isRequestType(example.request.type)) continue;
      const parsed = replySchemaFor(example.request.type).safeParse(example.reply);
      expect(parsed.success, `${example.request.type}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
    }
  });

  it('lists in the broadcast table exactly the data fields of each broadcast schema', () => {
    const table = [...markdown.matchAll(/^\| `(\w+_update)` \| `([^`]+)`/gm)].map((m) => [m[1] ?? '', m[2] ?? ''] as const);
    const schemas = Object.fromEntries(broadcastSchema.options.map((option) => [option.shape.type.value, option.shape.data]));
    expect(table.map(([type]) => type).sort()).toEqual(Object.keys(schemas).sort());
    for (const [type, fields] of table) {
      const documented = fields.split(',').map((field) => field.trim().replace(/\?$/, ''));
      expect(documented.sort(), type).toEqual(Object.keys(schemas[type]?.shape ?? {}).sort());
    }
  });

  it('gives, for each example request, the documented reply', async () => {
    let token: string | undefined;
    const replies: unknown[] = [];
    for (const example of examples) {
      const request =
        example.request.session_token === TOKEN_PLACEHOLDER ? { ...example.request, session_token: token } : example.request;
      const reply = await exchange(ws, request);
      if (reply.type === 'auth_response') token = reply.session_token as string;
      replies.push(reply);
    }
    if (process.env.UPDATE_README === '1') {
      writeFileSync(README, withReplies(markdown, examples, replies));
      return;
    }
    replies.forEach((reply, i) => {
      const example = examples[i];
      expect(mask(reply), `reply to ${JSON.stringify(example?.request)}`).toEqual(mask(example?.reply));
    });
  });
});
