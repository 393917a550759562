/**
 * What the server acknowledged survives `kill -9`: the CLI is killed in the middle of a burst
 * of requests, restarted on the same data directory, and every request that got a success reply
 * before the process died must be found again. Requests that were in flight may or may not have
 * made it; only acknowledged ones are checked.
 */
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startCli, type StartedCli } from '../support/cli-process.js';
import { ADMIN, TestClient } from '../support/harness.js';
import { useProcessSuite } from '../support/fixture.js';

const ENV = { ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password };
const ROUNDS = 3;
const BURST = 300;
/** Replies to wait for before killing: enough that some are acknowledged, far fewer than sent. */
const KILL_AFTER = 40;

const suite = useProcessSuite();

interface BurstFrame {
  callsign: string;
  payload: Record<string, unknown>;
}

interface BurstOutcome {
  /** Callsigns whose request got a success reply, in the order the replies arrived. */
  acked: string[];
  replies: number;
}

/**
 * Sends every frame at once on one connection and SIGKILLs the CLI as soon as `KILL_AFTER`
 * replies have arrived. Replies already on the wire when the process died still count: they were
 * acknowledged.
 */
async function burstThenKill(cli: StartedCli, frames: BurstFrame[]): Promise<BurstOutcome> {
  const ws = new WebSocket(cli.url);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const callsignById = new Map(frames.map((frame, index) => [`burst_${index}`, frame.callsign]));
  const outcome: BurstOutcome = { acked: [], replies: 0 };
  ws.on('message', (data) => {
    const message = JSON.parse(data.toString()) as { type: string; request_id?: unknown };
    const callsign = typeof message.request_id === 'string' ? callsignById.get(message.request_id) : undefined;
    if (callsign === undefined) return;
    outcome.replies += 1;
    if (message.type === 'success') outcome.acked.push(callsign);
    if (outcome.replies === KILL_AFTER) cli.child.kill('SIGKILL');
  });
  // The connection is reset when the process dies.
  ws.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
  frames.forEach((frame, index) => ws.send(JSON.stringify({ ...frame.payload, request_id: `burst_${index}` })));
  expect(await cli.exited).toMatchObject({ signal: 'SIGKILL' });
  await closed;
  return outcome;
}

async function adminOn(cli: StartedCli): Promise<TestClient> {
  const admin = await TestClient.connect(cli.url);
  suite.keep(admin);
  await admin.login();
  return admin;
}

async function queueCallsigns(admin: TestClient): Promise<string[]> {
  const reply = await admin.admin('admin_get_queue');
  expect(reply.type).toBe('success');
  return (reply.data as { queue: { callsign: string }[] }).queue.map((entry) => entry.callsign);
}

async function loggedCallsigns(admin: TestClient): Promise<string[]> {
  const callsigns: string[] = [];
  for (let offset = 0; ; offset += 500) {
    const reply = await admin.admin('admin_get_log', { offset, limit: 500 });
    expect(reply.type).toBe('success');
    const { entries } = reply.data as { entries: { callsign: string }[] };
    callsigns.push(...entries.map((entry) => entry.callsign));
    if (entries.length < 500) return callsigns;
  }
}

/** A running CLI with the system active and room for every registration the test can make. */
async function preparedCli(dataDir: string): Promise<StartedCli> {
  const cli = await startCli(dataDir, ENV);
  const admin = await adminOn(cli);
  expect((await admin.admin('admin_toggle_system', { active: true })).type).toBe('success');
  expect((await admin.admin('admin_set_max_queue_size', { max_queue_size: 1000 })).type).toBe('success');
  return cli;
}

describe('durability under kill -9', () => {
  it('every acknowledged registration is in the queue after the process is killed mid-burst', async () => {
    const dataDir = await suite.freshDir();
    const acknowledged: string[] = [];
    let cli = await preparedCli(dataDir);

    for (let round = 0; round < ROUNDS; round++) {
      const frames = Array.from({ length: BURST }, (_, i): BurstFrame => {
        const callsign = `K${round + 1}${String(i).padStart(3, '0')}AB`;
        return { callsign, payload: { type: 'register_callsign', callsign } };
      });
      const { acked, replies } = await burstThenKill(cli, frames);
      expect(acked.length).toBeGreaterThanOrEqual(KILL_AFTER);
      // The kill landed in the middle of the burst, not after it.
      expect(replies).toBeLessThan(BURST);
      acknowledged.push(...acked);

      cli = await startCli(dataDir, ENV);
      const queue = await queueCallsigns(await adminOn(cli));
      // Every acknowledged registration is there, once, in the order it was acknowledged.
      expect(queue.filter((callsign) => acknowledged.includes(callsign))).toEqual(acknowledged);
      expect(new Set(queue).size).toBe(queue.length);
    }
  });

  it('every acknowledged admin_send_qso is in the log after the process is killed mid-burst', async () => {
    const dataDir = await suite.freshDir();
    const acknowledged: string[] = [];
    let cli = await preparedCli(dataDir);

    for (let round = 0; round < ROUNDS; round++) {
      const admin = await adminOn(cli);
      const frames = Array.from({ length: BURST }, (_, i): BurstFrame => {
        const callsign = `N${round + 1}${String(i).padStart(3, '0')}Q`;
        return {
          callsign,
          payload: { type: 'admin_send_qso', session_token: admin.token, callsign, frequency: '14.205', mode: 'SSB' },
        };
      });
      const { acked, replies } = await burstThenKill(cli, frames);
      expect(acked.length).toBeGreaterThanOrEqual(KILL_AFTER);
      expect(replies).toBeLessThan(BURST);
      acknowledged.push(...acked);

      cli = await startCli(dataDir, ENV);
      const logged = await loggedCallsigns(await adminOn(cli));
      for (const callsign of acknowledged) {
        expect(logged.filter((c) => c === callsign), callsign).toHaveLength(1);
      }
    }
  });
});
