/**
 * The QSO log's indexes (core/qso-log.ts) against a plain scan of the log: after any sequence of
 * QSOs added, corrected (same id) and deleted — few calls, start times minutes apart, so slots
 * hold several QSOs and QSOs come and go from them — "am I in the log?" finds exactly that
 * call's QSOs, the count of calls is right, and a new report is merged exactly when a logged QSO
 * is the same QSO (`sameQso`), into one that is.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QsoLog } from '../../server/core/qso-log.js';
import { sameQso } from '../../server/ham/log-entry.js';
import type { LogEntry } from '../../server/protocol/entities.js';
import { MemoryLog } from '../support/memory-storage.js';

const SEED = Number(process.env.FC_SEED ?? 13);
const START = Date.parse('2025-07-23T10:00:00.000Z');
const CALLS = ['DL1ABC', 'W1AW', 'EA1ABC'] as const;
const BANDS = ['20m', '40m'] as const;

const entryArb = fc.record({
  id: fc.integer({ min: 0, max: 11 }),
  callsign: fc.constantFrom(...CALLS),
  /** Start in 40-second steps over 16 minutes: several two-minute slots, several QSOs in each. */
  step: fc.integer({ min: 0, max: 24 }),
  band: fc.constantFrom(...BANDS),
});

const operationArb = fc.oneof(
  entryArb.map((fields) => ({ kind: 'put' as const, ...fields })),
  fc.integer({ min: 0, max: 11 }).map((id) => ({ kind: 'remove' as const, id })),
);

type EntryFields = typeof entryArb extends fc.Arbitrary<infer Fields> ? Fields : never;

function toEntry({ id, callsign, step, band }: EntryFields): LogEntry {
  const at = new Date(START + step * 40_000).toISOString();
  return { qso_id: `q${id}`, callsign, started_at: at, ended_at: at, source: 'test', band, mode: 'CW' };
}

/** Stores entries and removals as the core does: commit, then reindex. */
function commit(storage: MemoryLog, log: QsoLog, put: LogEntry[], remove: string[]): void {
  const gone = log.existing([...put.map((entry) => entry.qso_id), ...remove]);
  storage.apply({ put, remove });
  log.reindex(gone, put);
}

describe('the QSO log’s indexes', () => {
  it('after any adds, corrections and deletions find every QSO of a call, count the calls, and merge a report exactly into a logged twin', () => {
    fc.assert(
      fc.property(fc.array(operationArb, { maxLength: 40 }), entryArb, (operations, reportFields) => {
        const storage = new MemoryLog();
        const log = new QsoLog(storage);
        // The indexes are built by their first use; build them before the changes so that every
        // change goes through them, not only the first scan.
        log.plan([toEntry({ id: 99, callsign: 'DL1ABC', step: 0, band: '20m' })]);
        for (const operation of operations) {
          if (operation.kind === 'put') commit(storage, log, [toEntry(operation)], []);
          else commit(storage, log, [], [`q${operation.id}`]);
        }
        const entries = [...storage.chronological()];
        for (const callsign of CALLS) {
          const expected = entries.filter((entry) => entry.callsign === callsign).map((entry) => entry.qso_id);
          expect(log.qsosWith(callsign).map((entry) => entry.qso_id).sort()).toEqual(expected.sort());
        }
        expect(log.callsignCount).toBe(new Set(entries.map((entry) => entry.callsign)).size);

        const report = { ...toEntry(reportFields), qso_id: 'report' };
        const twins = entries.filter((entry) => sameQso(entry, report)).map((entry) => entry.qso_id);
        const [id] = log.plan([report]).ids;
        if (twins.length === 0) expect(id).toBe('report');
        else expect(twins).toContain(id);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});
