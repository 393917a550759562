/**
 * The QSO log and what the core derives from it: which callsigns were worked on which band and
 * mode (dupe marks), when each callsign was last worked (the "worked recently" rule) and the
 * most recent end times (the wait estimate). Every change to the log goes through here — QSOs
 * completed from the queue, sent by logging software, imported from ADIF, corrected or deleted
 * by a logger — so the derived indexes are always in step with the log itself.
 *
 * One QSO, one entry: an entry that is the same QSO as one already logged (ham/log-entry.ts
 * `sameQso`: same call, band and mode within two minutes), from whatever source, fills in what the
 * logged one lacked instead of adding a second entry. Its id then names the logged entry, so a
 * later correction or deletion by that id finds it (until a restart; then the rule finds it again).
 */
import { dupeKey } from '../ham/band.js';
import { mergeQso, SAME_QSO_WINDOW_MS, sameQso } from '../ham/log-entry.js';
import type { LogEntry } from '../protocol/entities.js';
import { RATE_SAMPLE } from '../protocol/wait-estimate.js';
import type { LogStorage } from './storage.js';

/** What `put` did: the id each entry is logged under, and how to take the change back. */
export interface LogChange {
  ids: string[];
  /** Restores the entries as they were before (a command whose state write failed). */
  undo(): Promise<void>;
}

const NO_CHANGE: LogChange = { ids: [], undo: () => Promise.resolve() };

/** Starts are indexed in slots as wide as the same-QSO window, so a twin is in the entry's slot or the next ones. */
function slotOf(entry: LogEntry): number {
  return Math.floor(Date.parse(entry.started_at) / SAME_QSO_WINDOW_MS);
}

function slotKey(callsign: string, slot: number): string {
  return `${callsign}|${slot}`;
}

function addTo(index: Map<string, Set<string>>, key: string, id: string): void {
  const ids = index.get(key);
  if (ids === undefined) index.set(key, new Set([id]));
  else ids.add(id);
}

function removeFrom(index: Map<string, Set<string>>, key: string, id: string): void {
  const ids = index.get(key);
  ids?.delete(id);
  if (ids?.size === 0) index.delete(key);
}

export class QsoLog {
  /** How many QSOs each callsign has per band and mode family. */
  private readonly worked = new Map<string, number>();
  /** The newest end time (ms) of each callsign's QSOs. */
  private readonly lastWorked = new Map<string, number>();
  /** The ids of each callsign's QSOs. */
  private readonly byCallsign = new Map<string, Set<string>>();
  /** The ids of QSOs by callsign and two-minute slot of their start, to find the same QSO reported again. */
  private readonly bySlot = new Map<string, Set<string>>();
  /** The id a report of an already logged QSO came with → the logged entry's id. */
  private readonly aliases = new Map<string, string>();

  constructor(private readonly storage: LogStorage) {
    for (const entry of storage.chronological()) this.count(entry);
  }

  get size(): number {
    return this.storage.size;
  }

  get(qsoId: string): LogEntry | undefined {
    return this.storage.get(this.aliases.get(qsoId) ?? qsoId);
  }

  /** Newest first. */
  page(offset: number, limit: number): LogEntry[] {
    return this.storage.page(offset, limit);
  }

  chronological(): Iterable<LogEntry> {
    return this.storage.chronological();
  }

  /**
   * Adds entries: one with the id of a logged entry replaces it (a logger's correction), and so
   * does one with the id a merged report came with; one that is the same QSO as a logged entry
   * (or as an earlier one of `entries`) is merged into it. Resolves once stored.
   */
  async put(entries: readonly LogEntry[]): Promise<LogChange> {
    if (entries.length === 0) return NO_CHANGE;
    const writes = new Map<string, LogEntry>();
    /** The ids in `writes` by callsign and start slot, so finding a twin looks at a few QSOs only. */
    const pending = new Map<string, Set<string>>();
    const write = (entry: LogEntry): string => {
      writes.set(entry.qso_id, entry);
      addTo(pending, slotKey(entry.callsign, slotOf(entry)), entry.qso_id);
      return entry.qso_id;
    };
    const logged = (id: string) => writes.get(id) ?? this.storage.get(id);
    const ids = entries.map((entry) => {
      if (logged(entry.qso_id) !== undefined) return write(entry);
      const aliased = this.aliases.get(entry.qso_id);
      const target = aliased === undefined ? undefined : logged(aliased);
      // The reporter corrects what it reported: its fields win, the entry keeps its id.
      if (target !== undefined) return write(mergeQso({ ...entry, qso_id: target.qso_id, source: target.source }, target));
      const twin = this.twinOf(entry, [pending, this.bySlot], logged);
      return twin === undefined ? write(entry) : write(mergeQso(twin, entry));
    });
    const stored = [...writes.values()];
    const replaced = this.existing(stored.map((entry) => entry.qso_id));
    await this.storage.put(stored);
    const lost = replaced.map((old) => this.uncount(old));
    for (const entry of stored) this.count(entry);
    this.settleLastWorked(lost);
    entries.forEach((entry, index) => {
      const id = ids[index] as string;
      if (id !== entry.qso_id) this.aliases.set(entry.qso_id, id);
    });
    const replacedIds = new Set(replaced.map((old) => old.qso_id));
    const added = stored.filter((entry) => !replacedIds.has(entry.qso_id)).map((entry) => entry.qso_id);
    return {
      ids,
      undo: async () => {
        await this.remove(added);
        await this.put(replaced);
      },
    };
  }

  /** A QSO (logged, or about to be) that is the same QSO as `entry`: one started in its slot or the next ones. */
  private twinOf(entry: LogEntry, indexes: readonly ReadonlyMap<string, Set<string>>[], logged: (id: string) => LogEntry | undefined): LogEntry | undefined {
    const slot = slotOf(entry);
    for (const index of indexes) {
      for (const near of [slot - 1, slot, slot + 1]) {
        for (const id of index.get(slotKey(entry.callsign, near)) ?? []) {
          const candidate = logged(id);
          if (candidate !== undefined && sameQso(candidate, entry)) return candidate;
        }
      }
    }
    return undefined;
  }

  async remove(qsoIds: readonly string[]): Promise<void> {
    const removed = this.existing(qsoIds.map((id) => this.aliases.get(id) ?? id));
    if (removed.length === 0) return;
    await this.storage.remove(removed.map((entry) => entry.qso_id));
    this.settleLastWorked(removed.map((old) => this.uncount(old)));
  }

  /** Whether `callsign` was worked on that band and mode family (USB/LSB count as SSB). */
  workedBefore(callsign: string, frequencyMhz: string | undefined, mode: string | undefined): boolean {
    const key = dupeKey(callsign, frequencyMhz, mode);
    return key !== null && (this.worked.get(key) ?? 0) > 0;
  }

  /** When `callsign` was last worked (ms), if ever. */
  lastWorkedAt(callsign: string): number | undefined {
    return this.lastWorked.get(callsign);
  }

  /** End times (ms) of the most recent QSOs, oldest first: the QSO rate of the wait estimate. */
  recentEnds(): number[] {
    return this.storage
      .page(0, RATE_SAMPLE)
      .map((entry) => Date.parse(entry.ended_at))
      .reverse();
  }

  private existing(qsoIds: readonly string[]): LogEntry[] {
    return qsoIds.flatMap((id) => {
      const entry = this.storage.get(id);
      return entry === undefined ? [] : [entry];
    });
  }

  private count(entry: LogEntry): void {
    addTo(this.byCallsign, entry.callsign, entry.qso_id);
    addTo(this.bySlot, slotKey(entry.callsign, slotOf(entry)), entry.qso_id);
    const key = dupeKey(entry.callsign, entry.frequency, entry.mode);
    if (key !== null) this.worked.set(key, (this.worked.get(key) ?? 0) + 1);
    const end = Date.parse(entry.ended_at);
    if (end > (this.lastWorked.get(entry.callsign) ?? Number.NEGATIVE_INFINITY)) this.lastWorked.set(entry.callsign, end);
  }

  /**
   * `entry` has left the storage already. Returns its callsign when it was that call's newest
   * QSO, so the caller finds the next newest once every change is counted (`settleLastWorked`).
   */
  private uncount(entry: LogEntry): string | undefined {
    removeFrom(this.byCallsign, entry.callsign, entry.qso_id);
    removeFrom(this.bySlot, slotKey(entry.callsign, slotOf(entry)), entry.qso_id);
    const key = dupeKey(entry.callsign, entry.frequency, entry.mode);
    if (key !== null) {
      const left = (this.worked.get(key) ?? 0) - 1;
      if (left > 0) this.worked.set(key, left);
      else this.worked.delete(key);
    }
    if (this.lastWorked.get(entry.callsign) !== Date.parse(entry.ended_at)) return undefined;
    this.lastWorked.delete(entry.callsign);
    return entry.callsign;
  }

  /** Each of `callsigns` that lost its newest QSO and got no newer one: its next newest takes the place. */
  private settleLastWorked(callsigns: Iterable<string | undefined>): void {
    for (const callsign of new Set(callsigns)) {
      if (callsign === undefined || this.lastWorked.has(callsign)) continue;
      for (const id of this.byCallsign.get(callsign) ?? []) {
        const other = this.storage.get(id);
        if (other === undefined) continue;
        const end = Date.parse(other.ended_at);
        if (end > (this.lastWorked.get(callsign) ?? Number.NEGATIVE_INFINITY)) this.lastWorked.set(callsign, end);
      }
    }
  }
}
