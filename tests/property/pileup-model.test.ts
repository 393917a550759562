/**
 * Property-based model test: random sequences of every command — public and admin, valid and
 * invalid, from several clients, with restarts and clock jumps in between — run against the
 * real server and a tiny reference model (model.ts). After every step the server must answer
 * what the model expects, agree with the model's state, keep the pileup invariants, and have
 * broadcast exactly what the next snapshot shows.
 *
 * Bounded (fixed seed, fixed number of runs); a failure prints the seed, the shrunk command list
 * and the path to replay it. Shrunk counter-examples are kept in regressions.ts and run first.
 * FC_SEED / FC_RUNS override the defaults for a longer local campaign.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ServerMessage } from '../../server/protocol/envelopes.js';
import { CLOCK_START, ManualClock } from '../support/fixture.js';
import { ADMIN, startTestServer, TestClient, type TestServer } from '../support/harness.js';
import { CALLS, CLIENTS, type Command, type Expected, initialModel, type ModelState, step } from './model.js';
import { REGRESSIONS } from './regressions.js';

type Json = Record<string, unknown>;

const SEED = Number(process.env.FC_SEED ?? 20250723);
const RUNS = Number(process.env.FC_RUNS ?? 60);
const MAX_COMMANDS = 50;

// ---------------------------------------------------------------- commands

const client = fc.oneof({ arbitrary: fc.constant(0), weight: 4 }, fc.integer({ min: 1, max: CLIENTS - 1 }));
const call = fc.constantFrom(...CALLS);
const of = <K extends Command['kind']>(kind: K, fields: Record<string, fc.Arbitrary<unknown>> = {}) =>
  fc.record({ client, kind: fc.constant(kind), ...fields }) as unknown as fc.Arbitrary<Command>;

const commandArb: fc.Arbitrary<Command> = fc.oneof(
  { arbitrary: of('register', { callsign: fc.oneof({ arbitrary: call, weight: 9 }, fc.constant(42)) }), weight: 12 },
  { arbitrary: of('admin_work_next'), weight: 4 },
  { arbitrary: of('admin_toggle_system', { active: fc.constantFrom(true, true, false) }), weight: 3 },
  of('admin_toggle_system'),
  of('admin_complete_qso'),
  of('admin_cancel_qso'),
  of('admin_clear_queue'),
  ...(['admin_work_specific', 'admin_remove_callsign', 'admin_send_qso', 'admin_start_qso', 'admin_ban_callsign', 'admin_unban_callsign'] as const).map(
    (kind) => of(kind, { callsign: call }),
  ),
  of('admin_set_max_queue_size', { size: fc.constantFrom(1, 2, 3, 4, 6, 0, 1001) }),
  of('admin_set_frequency', { frequency: fc.constantFrom('14.195', '7.074', 'abc') }),
  of('admin_clear_frequency'),
  of('admin_set_split', { split: fc.constantFrom('up 5', 'up 1-3') }),
  of('admin_clear_split'),
  { arbitrary: of('admin_pause_registration'), weight: 1 },
  { arbitrary: of('admin_resume_registration'), weight: 2 },
  of('admin_set_registration_rules', {
    rules: fc.record(
      {
        rate_limit_count: fc.constantFrom(0, 3, 10),
        rate_limit_window_s: fc.constantFrom(60, 600),
        rate_limit_exempt_loopback: fc.boolean(),
        worked_recently_minutes: fc.constantFrom(0, 5, 30),
      },
      { requiredKeys: [] },
    ),
  }),
  of('get_queue_status'),
  of('get_current_qso'),
  of('ping'),
  of('admin_get_controls'),
  of('admin_get_log'),
  of('admin_get_status'),
  of('auth_request'),
  of('auth_logout'),
  of('garbage', {
    payload: fc.constantFrom('{not json', '[]', '"text"', '{"type":42}', '{"type":"make_coffee"}', '{"type":"register_callsign"}'),
  }),
  of('tick', { minutes: fc.constantFrom(1, 4, 10, 31) }),
  { arbitrary: of('restart'), weight: 1 },
);

// ---------------------------------------------------------------- the real side

const WIRE_FIELDS: Partial<Record<Command['kind'], (c: Command) => Json>> = {
  register: (c) => ({ callsign: (c as { callsign: unknown }).callsign }),
  admin_toggle_system: (c) => ((c as { active?: boolean }).active === undefined ? {} : { active: (c as { active: boolean }).active }),
  admin_set_max_queue_size: (c) => ({ max_queue_size: (c as { size: number }).size }),
  admin_set_frequency: (c) => ({ frequency: (c as { frequency: string }).frequency, mode: 'ssb' }),
  admin_set_split: (c) => ({ split: (c as { split: string }).split }),
  admin_set_registration_rules: (c) => (c as { rules: Json }).rules,
  admin_get_log: () => ({ limit: 500 }),
};

class Harness {
  clients: TestClient[] = [];
  observer!: TestClient;
  readonly clock = new ManualClock();
  server!: TestServer;

  async start(): Promise<void> {
    this.clock.reset();
    this.server = await startTestServer(this.clock.options);
    await this.connect([undefined, undefined, undefined]);
    await this.clients[0]?.login(ADMIN);
  }

  private async connect(tokens: (string | undefined)[]): Promise<void> {
    this.clients = await Promise.all(tokens.map(() => TestClient.connect(this.server.url)));
    this.clients.forEach((c, i) => (c.token = tokens[i]));
    this.observer = await TestClient.connect(this.server.url);
  }

  async restart(): Promise<void> {
    const tokens = this.clients.map((c) => c.token);
    await Promise.all([...this.clients, this.observer].map((c) => c.close()));
    this.server = await this.server.restart(this.clock.options);
    await this.connect(tokens);
  }

  async dispose(): Promise<void> {
    await Promise.all([...this.clients, this.observer].map((c) => c.close()));
    await this.server.dispose();
  }

  async send(c: Command): Promise<Json | null> {
    const who = this.clients[c.client] as TestClient;
    switch (c.kind) {
      case 'tick':
        this.clock.advance(c.minutes * 60_000);
        return null;
      case 'restart':
        await this.restart();
        return null;
      case 'garbage':
        return who.raw(c.payload);
      case 'auth_request': {
        const reply = await who.request('auth_request', ADMIN);
        if (reply.type === 'auth_response') who.token = reply.session_token as string;
        return reply;
      }
      default: {
        const fields = WIRE_FIELDS[c.kind]?.(c) ?? ('callsign' in c ? { callsign: c.callsign } : {});
        const type = c.kind === 'register' ? 'register_callsign' : c.kind;
        return type.startsWith('admin_') || type === 'auth_logout' ? who.adminRaw(type, fields) : who.request(type, fields);
      }
    }
  }

  /** The operator's full view, read through the trusted local path (no session needed). */
  async snapshot(): Promise<{ status: Json; controls: Json; log: Json[]; logTotal: number }> {
    const data = async (type: string, fields: Json = {}) => ((await this.server.localRequest({ type, ...fields })) as { data: Json }).data;
    const [status, controls, log] = await Promise.all([data('admin_get_queue'), data('admin_get_controls'), data('admin_get_log', { limit: 500 })]);
    return { status, controls, log: log.entries as Json[], logTotal: log.total as number };
  }
}

// ---------------------------------------------------------------- checks

function checkReply(reply: Json, expected: Expected, c: Command): void {
  if (expected.ok) expect(reply.type, `${c.kind} should succeed: ${JSON.stringify(reply)}`).not.toBe('error');
  else expect(reply.error_code, `${c.kind} should fail: ${JSON.stringify(reply)}`).toBe(expected.code);
}

function checkState(snap: Awaited<ReturnType<Harness['snapshot']>>, m: ModelState): void {
  const { status, controls, log, logTotal } = snap;
  const queue = (status.queue as { callsign: string }[]).map((e) => e.callsign);
  const current = (status.current_qso as { callsign: string } | null)?.callsign ?? null;
  // Invariants of the pileup, whatever the model says.
  expect(new Set(queue).size, 'no duplicate callsign in the queue').toBe(queue.length);
  if (!m.overCapacityAllowed) expect(queue.length, 'queue within capacity').toBeLessThanOrEqual(status.max_queue_size as number);
  expect(current === null || !queue.includes(current), 'never both queued and current').toBe(true);
  expect(new Set(log.map((e) => e.qso_id)).size, 'every QSO in the log once').toBe(log.length);
  // Agreement with the model (FIFO order included).
  expect({
    queue,
    current,
    active: status.system_active,
    max: status.max_queue_size,
    frequency: status.frequency,
    split: status.split,
    paused: status.registration_paused,
    bans: (controls.bans as { callsign: string }[]).map((b) => b.callsign).sort(),
    worked: controls.worked_recently_minutes,
    logTotal,
  }).toEqual({
    queue: m.queue,
    current: m.current?.callsign ?? null,
    active: m.active,
    max: m.maxQueueSize,
    frequency: m.frequency,
    split: m.split,
    paused: m.paused,
    bans: [...m.bans].sort(),
    worked: m.rules.worked_recently_minutes,
    logTotal: m.logCount,
  });
}

function last(broadcasts: Json[], type: string): Json | undefined {
  return broadcasts.filter((b) => b.type === type).at(-1)?.data as Json | undefined;
}

/** Every broadcast of a step must agree with the snapshot taken right after it. */
function checkBroadcasts(broadcasts: Json[], snap: Awaited<ReturnType<Harness['snapshot']>>, failed: boolean): void {
  if (failed) expect(broadcasts, 'a refused command broadcasts nothing').toEqual([]);
  const { status, controls } = snap;
  const queue = last(broadcasts, 'queue_update');
  if (queue) {
    expect((queue.queue as { callsign: string }[]).map((e) => e.callsign)).toEqual((status.queue as { callsign: string }[]).map((e) => e.callsign));
    expect(queue.total).toBe(status.queue_size);
    expect(queue.max_size).toBe(status.max_queue_size);
  }
  const qso = last(broadcasts, 'qso_update');
  const current = status.current_qso as Json | null;
  if (qso?.change_type === 'qso_started') expect(current?.qso_id).toBe(qso.qso_id);
  else if (qso) expect(current).toBeNull();
  const system = last(broadcasts, 'system_status_update');
  if (system) expect(system.active).toBe(status.system_active);
  const frequency = last(broadcasts, 'frequency_update');
  if (frequency) expect(frequency).toEqual({ frequency: status.frequency, mode: status.mode, split: status.split });
  const settings = last(broadcasts, 'settings_update');
  if (settings) expect(settings.max_queue_size).toBe(status.max_queue_size);
  const control = last(broadcasts, 'controls_update');
  if (control) {
    const { bans, ...rules } = controls;
    expect(control).toMatchObject({ ...rules, banned_count: (bans as unknown[]).length });
  }
}

function isBroadcast(message: ServerMessage): boolean {
  return !('request_id' in message) && message.type !== 'welcome';
}

async function runScenario(commands: Command[]): Promise<void> {
  const h = new Harness();
  await h.start();
  const m = initialModel(CLOCK_START);
  try {
    for (const c of commands) {
      const from = h.observer.received.length;
      const expected = step(m, c);
      const reply = await h.send(c);
      if (reply) checkReply(reply, expected, c);
      const snap = await h.snapshot();
      checkState(snap, m);
      if (c.kind !== 'restart') {
        await h.observer.request('ping');
        checkBroadcasts(h.observer.received.slice(from).filter(isBroadcast) as unknown as Json[], snap, !expected.ok);
      }
    }
  } finally {
    await h.dispose();
  }
}

describe('pileup state machine against a reference model', () => {
  it(`agrees with the model on random command sequences (seed ${SEED}, ${RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(commandArb, { maxLength: MAX_COMMANDS, size: 'max' }), runScenario),
      {
        seed: SEED,
        numRuns: RUNS,
        examples: REGRESSIONS.map((commands) => [commands]),
        // Shrinking restarts a server per attempt: cap it so a failure is reported in bounded time.
        interruptAfterTimeLimit: 120_000,
      },
    );
  }, 180_000);
});
