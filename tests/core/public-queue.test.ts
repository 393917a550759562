/**
 * The first 100 waiting, as every `queue_update` shows them: the core hands out the view of the
 * last broadcast again while nothing it shows changed (core/public-queue.ts). Whatever happens,
 * each broadcast shows what `get_queue_status` computes afresh.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PileupService } from '../../server/core/pileup-service.js';
import type { BroadcastOf } from '../../server/protocol/broadcasts.js';
import type { LogEntry } from '../../server/protocol/entities.js';
import { DEFAULT_STATION } from '../../server/protocol/station.js';
import { BROADCAST_QUEUE_LIMIT } from '../../server/protocol/rules.js';
import { MemoryStorage } from '../support/memory-storage.js';

const SEED = Number(process.env.FC_SEED ?? 11);
const START = Date.parse('2025-07-23T10:00:00.000Z');

type Step =
  | { op: 'register'; call: number }
  | { op: 'work-next' }
  | { op: 'remove'; call: number }
  | { op: 'band'; frequency: string; mode: string }
  | { op: 'log'; call: number }
  | { op: 'locator'; locator: string | null };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 12, arbitrary: fc.record({ op: fc.constant('register' as const), call: fc.nat(140) }) },
  { weight: 2, arbitrary: fc.constant({ op: 'work-next' as const }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('remove' as const), call: fc.nat(140) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('band' as const), frequency: fc.constantFrom('14.074', '7.074'), mode: fc.constantFrom('FT8', 'CW') }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('log' as const), call: fc.nat(140) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('locator' as const), locator: fc.constantFrom('IL18', 'JO62', null) }) },
);

const callsign = (n: number) => `K${n}AB`;

/** `waiting` callers registered first (K1000AB, …), so that most changes leave the first 100 standing. */
async function started(waiting = 0): Promise<{ service: PileupService; updates: BroadcastOf<'queue_update'>[] }> {
  const service = await PileupService.create({ store: new MemoryStorage(), clock: () => START, maxQueueSize: 1000 });
  await service.toggleSystem(true, 'admin');
  await service.setFrequency('14.074', 'FT8');
  for (let n = 0; n < waiting; n += 1) await service.register(callsign(1000 + n));
  const updates: BroadcastOf<'queue_update'>[] = [];
  service.on('broadcast', (message) => {
    if (message.type === 'queue_update') updates.push(message);
  });
  return { service, updates };
}

async function apply(service: PileupService, s: Step, tick: number): Promise<void> {
  const settle = (pending: Promise<unknown>) => pending.then(() => undefined, () => undefined);
  if (s.op === 'register') await settle(service.register(callsign(s.call)));
  if (s.op === 'work-next') await settle(service.workNext());
  if (s.op === 'remove') await settle(service.removeCallsign(callsign(s.call)));
  if (s.op === 'band') await service.setFrequency(s.frequency, s.mode);
  if (s.op === 'locator') await service.setStation({ ...DEFAULT_STATION, locator: s.locator });
  if (s.op === 'log') {
    // One of the first 100 waiting: a dupe mark the next broadcast must show.
    const { queue } = service.status();
    const call = queue[s.call % Math.min(queue.length, BROADCAST_QUEUE_LIMIT)]?.callsign ?? callsign(s.call);
    const at = new Date(START - tick * 60_000).toISOString();
    const entry: LogEntry = { qso_id: `log-${tick}`, callsign: call, started_at: at, ended_at: at, source: 'adif_import', frequency: '14.074', mode: 'FT8' };
    await service.putLogged([entry]);
  }
}

describe('queue_update, the first 100 waiting', () => {
  it('shows what get_queue_status computes afresh, whatever changed since the last one: positions, dupes, bearings', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(0, 100, 130), fc.array(step, { minLength: 60, maxLength: 200 }), async (waiting, steps) => {
        const { service, updates } = await started(waiting);
        let checked = 0;
        for (const [tick, s] of steps.entries()) {
          const seen = updates.length;
          await apply(service, s, tick);
          // A change that broadcast no queue_update (a log import, a new band) shows in the next one.
          if (updates.length === seen) continue;
          expect(updates.at(-1)?.data.queue).toEqual(service.status().queue.slice(0, BROADCAST_QUEUE_LIMIT));
          checked += 1;
        }
        expect(checked).toBeGreaterThan(0);
      }),
      { seed: SEED, numRuns: 25 },
    );
  });

  it('with 100 or more waiting, hands a registration the view of the broadcast before it', async () => {
    const { service, updates } = await started();
    for (let n = 0; n < 102; n += 1) await service.register(callsign(n));
    const [before, last] = updates.slice(-2);
    expect(last?.data.queue).toBe(before?.data.queue);
    expect(last?.data.total).toBe(102);
  });

  it('builds a new view when a waiting caller turns into a dupe', async () => {
    const { service, updates } = await started();
    for (let n = 0; n < 101; n += 1) await service.register(callsign(n));
    const before = updates.at(-1)?.data.queue;
    await service.putLogged([{ qso_id: 'q1', callsign: callsign(3), started_at: '2025-07-23T09:00:00.000Z', ended_at: '2025-07-23T09:00:00.000Z', source: 'adif_import', frequency: '14.074', mode: 'FT8' }]);
    await service.register(callsign(200));
    const after = updates.at(-1)?.data.queue;
    expect(after).not.toBe(before);
    expect(after?.[3]).toMatchObject({ callsign: callsign(3), dupe: true });
  });
});
