import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { activeAdmin, startTestServer, TestClient, type TestServer } from '../support/harness.js';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await server.dispose();
});

describe('register_callsign', () => {
  it('registers a callsign and answers with the guide\'s fields', async () => {
    const admin = await activeAdmin(server);
    const caller = await TestClient.connect(server.url);
    const reply = await caller.request('register_callsign', { callsign: ' ea1abc ' });
    expect(reply).toMatchObject({
      type: 'success',
      request_id: 'req_1',
      message: 'Callsign registered successfully',
      data: { callsign: 'EA1ABC', position: 1, total_queue: 1 },
    });
    await admin.close();
    await caller.close();
  });

  it('rejects a duplicate with ALREADY_IN_QUEUE', async () => {
    const admin = await activeAdmin(server);
    await admin.request('register_callsign', { callsign: 'EA1ABC' });
    const reply = await admin.request('register_callsign', { callsign: 'ea1abc' });
    expect(reply).toMatchObject({ type: 'error', error_code: 'ALREADY_IN_QUEUE' });
    await admin.close();
  });
});
