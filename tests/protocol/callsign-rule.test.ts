/**
 * The one callsign rule on the wire: every message that carries a callsign applies the vectors
 * of PROTOCOL.md. One server for the file (hundreds of cases); each test starts from an empty
 * queue and no current QSO.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TestClient } from '../support/harness.js';
import { MUST_ACCEPT, MUST_REJECT, NON_STRINGS } from './callsign-vectors.js';
import { dataOf, expectError, queueStatus, useServer } from '../support/fixture.js';

const fx = useServer(() => ({}), 'suite');
let operator: TestClient;

// One operator for the whole file (the fixture's clients last one test only).
beforeAll(async () => {
  operator = await TestClient.connect(fx.server.url);
  await operator.login();
  await operator.admin('admin_toggle_system', { active: true });
});
afterAll(() => operator.close());
beforeEach(async () => {
  await operator.admin('admin_clear_queue');
  await operator.admin('admin_cancel_qso');
});

/** The admin messages that name a station. */
const ADMIN_CALLSIGN_TYPES = [
  'admin_send_qso',
  'admin_start_qso',
  'admin_work_specific',
  'admin_remove_callsign',
] as const;

describe('register_callsign applies the callsign rule', () => {
  it.each(MUST_ACCEPT)('accepts %j and registers it as %s', async (raw, normalized) => {
    const reply = await operator.request('register_callsign', { callsign: raw });
    expect(dataOf(reply)).toMatchObject({ callsign: normalized, position: 1, total_queue: 1 });
    expect((await queueStatus(operator)).queue).toMatchObject([{ callsign: normalized }]);
  });

  it.each(MUST_REJECT)('rejects %j with INVALID_CALLSIGN and details.provided_callsign', async (raw) => {
    const reply = await operator.request('register_callsign', { callsign: raw });
    expectError(reply, 'INVALID_CALLSIGN');
    expect(reply.details).toMatchObject({ provided_callsign: raw });
    expect((await queueStatus(operator)).queue_size).toBe(0);
  });

  it.each(NON_STRINGS)('rejects the non-string %j with INVALID_REQUEST', async (raw) => {
    expectError(await operator.request('register_callsign', { callsign: raw }), 'INVALID_REQUEST');
    expect((await queueStatus(operator)).queue_size).toBe(0);
  });
});

describe.each(ADMIN_CALLSIGN_TYPES)('%s applies the callsign rule', (type) => {
  it.each(MUST_REJECT)('rejects %j with INVALID_CALLSIGN', async (raw) => {
    const reply = await operator.adminRaw(type, { callsign: raw });
    expectError(reply, 'INVALID_CALLSIGN');
    expect(reply.details).toMatchObject({ provided_callsign: raw });
    const status = await queueStatus(operator);
    expect(status.current_qso).toBeNull();
  });

  it.each(NON_STRINGS)('rejects the non-string %j with INVALID_REQUEST', async (raw) => {
    expectError(await operator.adminRaw(type, { callsign: raw }), 'INVALID_REQUEST');
  });

  it.each(MUST_ACCEPT)('accepts %j as %s', async (raw, normalized) => {
    // work_specific and remove act on a waiting station, so put it in the queue first.
    if (type === 'admin_work_specific' || type === 'admin_remove_callsign') {
      await operator.request('register_callsign', { callsign: normalized });
    }
    const reply = await operator.admin(type, { callsign: raw });
    expect(reply).toMatchObject({ type: 'success' });
    const status = await queueStatus(operator);
    if (type === 'admin_remove_callsign') {
      expect(status.queue_size).toBe(0);
    } else {
      expect(status.current_qso).toMatchObject({ callsign: normalized });
    }
  });
});
