/**
 * The per-entry layout of state.db: whatever happens to the queue and the ban list, the
 * documents written read back as exactly the state that was planned, and a change writes only
 * what changed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultControls } from '../../server/core/abuse-controls.js';
import type { PersistedState } from '../../server/core/storage.js';
import type { Doc } from '../../server/store/document-file.js';
import { planState, readState, type StoredLayout } from '../../server/store/state-documents.js';

const SEED = Number(process.env.FC_SEED ?? 7);

function baseState(): PersistedState {
  return { active: true, queue: [], current: null, frequency: null, mode: null, split: null, max_queue_size: 1000, controls: defaultControls() };
}

/** state.db as a map of documents, written the way the store writes them. */
class Docs {
  readonly byId = new Map<string, Doc>();
  layout: StoredLayout = readState([]).layout;
  written = 0;

  save(state: PersistedState): void {
    // The same change planned by content alone (as right after a start): the everyday one-pass
    // plan by identity must write exactly what the full plan writes.
    const byContent = planState({ ...this.layout, known: new WeakMap() }, state);
    const plan = planState(this.layout, state);
    expect({ put: plan.put, remove: plan.remove, queue: plan.after.queue, bans: plan.after.bans, nextSeq: plan.after.nextSeq }).toEqual({
      put: byContent.put,
      remove: byContent.remove,
      queue: byContent.after.queue,
      bans: byContent.after.bans,
      nextSeq: byContent.after.nextSeq,
    });
    for (const doc of plan.put) this.byId.set(doc._id, doc);
    for (const id of plan.remove) this.byId.delete(id);
    this.written += plan.put.length + plan.remove.length;
    this.layout = plan.after;
  }

  read(): PersistedState | null {
    return readState(this.byId.values()).state;
  }
}

type Step = { op: 'add'; call: number } | { op: 'remove'; at: number } | { op: 'move'; at: number } | { op: 'clear' } | { op: 'ban'; call: number } | { op: 'restart' };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ op: fc.constant('add' as const), call: fc.nat(30) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('remove' as const), at: fc.nat(40) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('move' as const), at: fc.nat(40) }) },
  { weight: 1, arbitrary: fc.constant({ op: 'clear' as const }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('ban' as const), call: fc.nat(30) }) },
  { weight: 1, arbitrary: fc.constant({ op: 'restart' as const }) },
);

describe('state.db, one document per entry', () => {
  it('reads back exactly the state last written, whatever the sequence of changes, planned alike by identity and by content', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const docs = new Docs();
        let state = baseState();
        let tick = 0;
        for (const s of steps) {
          // A fresh copy per change, entries shared, as the core's drafts do.
          const next: PersistedState = { ...state, queue: state.queue.slice(), controls: { ...state.controls, bans: state.controls.bans.slice() } };
          tick += 1;
          if (s.op === 'add') next.queue.push({ callsign: `K${s.call}AB`, timestamp: new Date(Date.UTC(2025, 0, 1, 0, 0, tick)).toISOString() });
          if (s.op === 'remove') next.queue.splice(s.at % Math.max(1, next.queue.length), 1);
          if (s.op === 'move' && next.queue.length > 1) next.queue.unshift(...next.queue.splice(s.at % next.queue.length, 1));
          if (s.op === 'clear') next.queue = [];
          if (s.op === 'ban') next.controls.bans = [...next.controls.bans.filter((b) => b.callsign !== `K${s.call}AB`), { callsign: `K${s.call}AB`, reason: null, banned_at: '2025-01-01T00:00:00.000Z', only_this_form: false }];
          if (s.op === 'restart') {
            // What a new start reads, with a fresh layout: identities are gone, content matches.
            const loaded = readState(docs.byId.values());
            docs.layout = loaded.layout;
            state = loaded.state ?? baseState();
            continue;
          }
          docs.save(next);
          state = next;
          expect(docs.read()).toEqual(state);
        }
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('writes one document for a registration with 1,000 waiting, and none when nothing changed', () => {
    const docs = new Docs();
    const state = baseState();
    state.queue = Array.from({ length: 999 }, (_, n) => ({ callsign: `K${n}AB`, timestamp: '2025-01-01T00:00:00.000Z' }));
    docs.save(state);
    const before = docs.written;
    const next = { ...state, queue: [...state.queue, { callsign: 'ZZ9ZZ', timestamp: '2025-01-01T00:01:00.000Z' }] };
    docs.save(next);
    expect(docs.written - before).toBe(1);
    docs.save({ ...next, queue: next.queue.slice() });
    expect(docs.written - before).toBe(1);
    // Working the head: one removal and the rest of the state.
    docs.save({ ...next, queue: next.queue.slice(1), current: { callsign: 'K0AB', timestamp: '2025-01-01T00:02:00.000Z', started_at: '2025-01-01T00:02:00.000Z', source: 'queue', qso_id: 'q', logged: false } });
    expect(docs.written - before).toBe(3);
  });

  it('recognises what it loaded by content, so the first change after a start writes only that change', () => {
    const docs = new Docs();
    const state = baseState();
    state.queue = [
      { callsign: 'W1AW', timestamp: '2025-01-01T00:00:00.000Z' },
      { callsign: 'DL1ABC', timestamp: '2025-01-01T00:00:01.000Z' },
    ];
    docs.save(state);
    const loaded = readState(docs.byId.values());
    docs.layout = loaded.layout;
    const before = docs.written;
    const started = loaded.state as PersistedState;
    docs.save({ ...started, queue: [...started.queue, { callsign: 'G0ABC', timestamp: '2025-01-01T00:00:02.000Z' }] });
    expect(docs.written - before).toBe(1);
  });
});
