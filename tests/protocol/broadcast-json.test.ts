/**
 * A broadcast's JSON text is exactly `JSON.stringify` of it, also when the queue's JSON is
 * reused from an earlier frame.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { broadcastJson } from '../../server/protocol/broadcast-json.js';
import { type BroadcastOf, queueChangeTypes } from '../../server/protocol/broadcasts.js';
import type { QueueEntry } from '../../server/protocol/entities.js';

const SEED = Number(process.env.FC_SEED ?? 5);

const entry: fc.Arbitrary<QueueEntry> = fc.record(
  {
    callsign: fc.string({ minLength: 1, maxLength: 12 }),
    position: fc.integer({ min: 1, max: 1000 }),
    timestamp: fc.constant('2025-07-23T10:30:00.000Z'),
    country: fc.string(),
    dupe: fc.constant(true as const),
    lat: fc.double({ min: -90, max: 90, noNaN: true }),
  },
  { requiredKeys: ['callsign', 'position', 'timestamp'] },
) as fc.Arbitrary<QueueEntry>;

const queueUpdate = (queue: QueueEntry[], affected: string | null, total: number): BroadcastOf<'queue_update'> => ({
  type: 'queue_update',
  timestamp: '2025-07-23T10:30:00.000Z',
  data: { total, max_size: 1000, change_type: queueChangeTypes[total % queueChangeTypes.length] ?? 'registered', affected_callsign: affected, queue },
});

describe('broadcast JSON', () => {
  it('is JSON.stringify of the message, for a queue seen for the first time and again', () => {
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 100 }), fc.option(fc.string()), fc.nat(2000), (queue, affected, total) => {
        const first = queueUpdate(queue, affected, total);
        expect(broadcastJson(first)).toBe(JSON.stringify(first));
        const again = queueUpdate(queue, affected, total + 1);
        expect(broadcastJson(again)).toBe(JSON.stringify(again));
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('is JSON.stringify of every other broadcast', () => {
    const message: BroadcastOf<'system_status_update'> = { type: 'system_status_update', timestamp: '2025-07-23T10:30:00.000Z', data: { active: true, changed_by: 'admin' } };
    expect(broadcastJson(message)).toBe(JSON.stringify(message));
  });
});
