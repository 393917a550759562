/**
 * The QSO log and what the core derives from it: which callsigns were worked on which band and
 * mode (dupe marks), when each callsign was last worked (the "worked recently" rule) and the
 * most recent end times (the wait estimate). Every change to the log — QSOs completed from the
 * queue, sent by logging software, imported from ADIF, corrected or deleted by a logger — is
 * committed by the core (PileupStorage.commit) and then handed to `reindex`, so the derived
 * indexes are always in step with the log itself.
 *
 * One QSO, one entry: before a commit, `plan` turns an entry that is the same QSO as one already
 * logged (ham/log-entry.ts `sameQso`: same call, band and mode within two minutes), from whatever
 * source, into the logged one with what it lacked filled in, instead of a second entry. Its id
 * then names the logged entry (`resolve`), so a later correction or deletion by that id finds it
 * (until a restart; then the rule finds it again).
 */
import { dupeKey } from '../ham/band.js';
import { mergeQso, SAME_QSO_WINDOW_MS, sameQso } from '../ham/log-entry.js';
import type { LogEntry } from '../protocol/entities.js';
import { RATE_SAMPLE } from '../protocol/wait-estimate.js';
import type { LogStorage } from './storage.js';

function increment(counts: Map<string, number>, key: string | undefined): void {
  if (key !== undefined) counts.set(key, (counts.get(key) ?? 0) + 1);
}

/** What `plan` makes of entries: what to store, the id each entry is logged under, and the ids that now name another entry. */
export interface LogPlan {
  put: LogEntry[];
  ids: string[];
  aliases: Map<string, string>;
}

/**
 * The ids under one key of an index. Most keys have one QSO: its id is kept as itself, since an
 * array for one id costs more than the id (over a 250,000-QSO log, about 14 MB).
 */
type Ids = string | string[];

const NO_IDS: readonly string[] = [];

function idsOf(ids: Ids | undefined): readonly string[] {
  return ids === undefined ? NO_IDS : typeof ids === 'string' ? [ids] : ids;
}

/** `id` is not in the index yet: `count` runs once per stored entry, after any older version was uncounted. */
function addId<K>(index: Map<K, Ids>, key: K, id: string): void {
  const ids = index.get(key);
  if (ids === undefined) index.set(key, id);
  else if (typeof ids === 'string') index.set(key, [ids, id]);
  else ids.push(id);
}

function removeId<K>(index: Map<K, Ids>, key: K, id: string): void {
  const left = idsOf(index.get(key)).filter((other) => other !== id);
  if (left.length === 0) index.delete(key);
  else index.set(key, left.length === 1 ? (left[0] as string) : left);
}

/** What an index of log entries does as the log changes. */
interface EntryIndex {
  add(entry: Readonly<LogEntry>): void;
  remove(entry: Readonly<LogEntry>): void;
}

/** The ids of each callsign's QSOs: "am I in the log?" without a scan. */
class CallsignIndex implements EntryIndex {
  private readonly byCall = new Map<string, Ids>();

  add(entry: Readonly<LogEntry>): void {
    addId(this.byCall, entry.callsign, entry.qso_id);
  }

  remove(entry: Readonly<LogEntry>): void {
    removeId(this.byCall, entry.callsign, entry.qso_id);
  }

  ids(callsign: string): readonly string[] {
    return idsOf(this.byCall.get(callsign));
  }

  /** Different callsigns. */
  get size(): number {
    return this.byCall.size;
  }
}

/** Starts are indexed in slots as wide as the same-QSO window, so a twin is in the entry's slot or the ones beside it. */
function slotOf(startedAt: string): number {
  return Math.floor(Date.parse(startedAt) / SAME_QSO_WINDOW_MS);
}

/**
 * The ids of QSOs by callsign and slot of their start, to find the same QSO reported again. Keyed
 * by callsign, then by the slot's number: a key string per QSO would cost more than its entry's
 * own fields.
 */
class SlotIndex implements EntryIndex {
  private readonly byCall = new Map<string, Map<number, Ids>>();

  add(entry: Readonly<LogEntry>): void {
    let slots = this.byCall.get(entry.callsign);
    if (slots === undefined) {
      slots = new Map();
      this.byCall.set(entry.callsign, slots);
    }
    addId(slots, slotOf(entry.started_at), entry.qso_id);
  }

  remove(entry: Readonly<LogEntry>): void {
    const slots = this.byCall.get(entry.callsign);
    if (slots === undefined) return;
    removeId(slots, slotOf(entry.started_at), entry.qso_id);
    if (slots.size === 0) this.byCall.delete(entry.callsign);
  }

  /** Ids of the QSOs with `entry`'s callsign started in its slot or the ones beside it. */
  near(entry: Readonly<LogEntry>): string[] {
    const slots = this.byCall.get(entry.callsign);
    if (slots === undefined) return [];
    const slot = slotOf(entry.started_at);
    return [slot - 1, slot, slot + 1].flatMap((near) => idsOf(slots.get(near)));
  }
}

/**
 * An index of log entries built by its first use rather than at start-up (each such index over
 * 100,000 QSOs would add about a tenth of a second to every start); kept in step with every
 * change once built. It must be built before a commit that adds entries (QsoLog.plan does), so
 * that it never already holds an entry `reindex` is about to count.
 */
class LazyIndex<T extends EntryIndex> {
  private index: T | null = null;

  constructor(
    private readonly create: () => T,
    private readonly entries: () => Iterable<Readonly<LogEntry>>,
  ) {}

  build(): T {
    if (this.index === null) {
      const index = this.create();
      for (const entry of this.entries()) index.add(entry);
      this.index = index;
    }
    return this.index;
  }

  add(entry: Readonly<LogEntry>): void {
    this.index?.add(entry);
  }

  remove(entry: Readonly<LogEntry>): void {
    this.index?.remove(entry);
  }
}

function decrement(counts: Map<string, number>, key: string | undefined): void {
  if (key === undefined) return;
  const left = (counts.get(key) ?? 0) - 1;
  if (left > 0) counts.set(key, left);
  else counts.delete(key);
}

export class QsoLog {
  /** How many QSOs each callsign has per band and mode family. */
  private readonly worked = new Map<string, number>();
  /** Ids, not Sets of them: most calls have one QSO, and 100,000 small Sets would cost tens of MiB. */
  private readonly byCallsign = new LazyIndex(() => new CallsignIndex(), () => this.storage.chronological());
  private readonly bySlot = new LazyIndex(() => new SlotIndex(), () => this.storage.chronological());
  /** The id a report of an already logged QSO came with → the logged entry's id. */
  private readonly aliases = new Map<string, string>();
  private readonly byBand = new Map<string, number>();
  private readonly byContinent = new Map<string, number>();
  /**
   * The newest end time of each callsign's QSOs, as stored: ISO-8601 UTC strings order like the
   * times they name (to the second, whatever the precision of their fractions; the log is kept in
   * that order too), and parsing 100,000 of them at start-up costs more than the rest of this index.
   */
  private readonly lastWorked = new Map<string, string>();

  private changes = 0;

  constructor(private readonly storage: LogStorage) {
    for (const entry of storage.chronological()) this.count(entry);
  }

  /** Grows with every committed change, so a view of what the log says knows when it is stale. */
  get revision(): number {
    return this.changes;
  }

  get size(): number {
    return this.storage.size;
  }

  get(qsoId: string): LogEntry | undefined {
    return this.storage.get(this.resolve(qsoId));
  }

  /** The id of the entry `qsoId` names: itself, or the logged QSO a report with that id was merged into. */
  resolve(qsoId: string): string {
    return this.aliases.get(qsoId) ?? qsoId;
  }

  /**
   * What storing `entries` means: one with the id of a logged entry replaces it (a logger's
   * correction), and so does one with the id a merged report came with; one that is the same QSO
   * as a logged entry (or as an earlier one of `entries`) is merged into it. Stores nothing: the
   * core commits `put`, then hands it to `reindex` and the aliases to `remember`.
   */
  plan(entries: readonly LogEntry[]): LogPlan {
    // A commit that adds nothing (most commands) leaves the indexes unbuilt; one that adds
    // entries builds them first, from the log before it (see LazyIndex).
    if (entries.length === 0) return { put: [], ids: [], aliases: new Map() };
    this.byCallsign.build();
    const bySlot = this.bySlot.build();
    const writes = new Map<string, LogEntry>();
    /** The ids in `writes` by callsign and start slot, so finding a twin looks at a few QSOs only. */
    const pending = new SlotIndex();
    const write = (entry: LogEntry): string => {
      writes.set(entry.qso_id, entry);
      pending.add(entry);
      return entry.qso_id;
    };
    const logged = (id: string) => writes.get(id) ?? this.storage.get(id);
    const ids = entries.map((entry) => {
      if (logged(entry.qso_id) !== undefined) return write(entry);
      const aliased = this.aliases.get(entry.qso_id);
      const target = aliased === undefined ? undefined : logged(aliased);
      // The reporter corrects what it reported: its fields win, the entry keeps its id.
      if (target !== undefined) return write(mergeQso({ ...entry, qso_id: target.qso_id, source: target.source }, target));
      const twin = this.twinOf(entry, [pending, bySlot], logged);
      return twin === undefined ? write(entry) : write(mergeQso(twin, entry));
    });
    const aliases = new Map<string, string>();
    entries.forEach((entry, index) => {
      const id = ids[index] as string;
      if (id !== entry.qso_id) aliases.set(entry.qso_id, id);
    });
    return { put: [...writes.values()], ids, aliases };
  }

  /** After the commit of a plan: its reports' ids name the entries they were merged into. */
  remember(aliases: ReadonlyMap<string, string>): void {
    for (const [from, to] of aliases) this.aliases.set(from, to);
  }

  /** Newest first. */
  page(offset: number, limit: number): LogEntry[] {
    return this.storage.page(offset, limit);
  }

  chronological(): Iterable<Readonly<LogEntry>> {
    return this.storage.chronological();
  }

  /** Newest first, read lazily: for scans that stop early (the statistics). */
  newestFirst(): Iterable<LogEntry> {
    return this.storage.newestFirst();
  }

  /** Every QSO with exactly this callsign, newest first. */
  qsosWith(callsign: string): LogEntry[] {
    const entries = this.existing(this.byCallsign.build().ids(callsign));
    return entries.sort((a, b) => Date.parse(b.ended_at) - Date.parse(a.ended_at));
  }

  /** Different callsigns in the log. */
  get callsignCount(): number {
    return this.byCallsign.build().size;
  }

  /** QSOs per ADIF band (QSOs without a band are not counted). */
  countsByBand(): Record<string, number> {
    return Object.fromEntries(this.byBand);
  }

  /** QSOs per continent (AF, AN, AS, EU, NA, OC, SA; calls in no entity are not counted). */
  countsByContinent(): Record<string, number> {
    return Object.fromEntries(this.byContinent);
  }

  /** The entries with these ids that are in the log now (those a change will replace or remove). */
  existing(qsoIds: readonly string[]): LogEntry[] {
    return qsoIds.flatMap((id) => {
      const entry = this.storage.get(id);
      return entry === undefined ? [] : [entry];
    });
  }

  /** After a committed change: `gone` were replaced or removed (as `existing` read them before), `added` were put. */
  reindex(gone: readonly LogEntry[], added: readonly LogEntry[]): void {
    if (gone.length > 0 || added.length > 0) this.changes += 1;
    for (const old of gone) this.uncount(old);
    for (const entry of added) this.count(entry);
  }

  /** A QSO (logged, or about to be) that is the same QSO as `entry`: one started in its slot or the ones beside it. */
  private twinOf(entry: LogEntry, indexes: readonly SlotIndex[], logged: (id: string) => LogEntry | undefined): LogEntry | undefined {
    for (const index of indexes) {
      for (const id of index.near(entry)) {
        const candidate = logged(id);
        if (candidate !== undefined && sameQso(candidate, entry)) return candidate;
      }
    }
    return undefined;
  }

  /** Whether `callsign` was worked on that band and mode family (USB/LSB count as SSB). */
  workedBefore(callsign: string, frequencyMhz: string | undefined, mode: string | undefined): boolean {
    const key = dupeKey(callsign, frequencyMhz, mode);
    return key !== null && (this.worked.get(key) ?? 0) > 0;
  }

  /** When `callsign` was last worked (ms), if ever. */
  lastWorkedAt(callsign: string): number | undefined {
    const endedAt = this.lastWorked.get(callsign);
    return endedAt === undefined ? undefined : Date.parse(endedAt);
  }

  /** End times (ms) of the most recent QSOs, oldest first: the QSO rate of the wait estimate. */
  recentEnds(): number[] {
    return this.storage
      .page(0, RATE_SAMPLE)
      .map((entry) => Date.parse(entry.ended_at))
      .reverse();
  }

  private count(entry: Readonly<LogEntry>): void {
    const key = dupeKey(entry.callsign, entry.frequency, entry.mode);
    if (key !== null) this.worked.set(key, (this.worked.get(key) ?? 0) + 1);
    this.byCallsign.add(entry);
    this.bySlot.add(entry);
    increment(this.byBand, entry.band);
    increment(this.byContinent, entry.continent);
    const last = this.lastWorked.get(entry.callsign);
    if (last === undefined || entry.ended_at > last) this.lastWorked.set(entry.callsign, entry.ended_at);
  }

  /** `entry` has left the storage already. */
  private uncount(entry: LogEntry): void {
    this.byCallsign.remove(entry);
    this.bySlot.remove(entry);
    decrement(this.byBand, entry.band);
    decrement(this.byContinent, entry.continent);
    const key = dupeKey(entry.callsign, entry.frequency, entry.mode);
    if (key !== null) {
      const left = (this.worked.get(key) ?? 0) - 1;
      if (left > 0) this.worked.set(key, left);
      else this.worked.delete(key);
    }
    if (this.lastWorked.get(entry.callsign) !== entry.ended_at) return;
    // It was the newest QSO with that call: the next newest (if any) takes its place.
    this.lastWorked.delete(entry.callsign);
    for (const other of this.existing(this.byCallsign.build().ids(entry.callsign))) {
      const last = this.lastWorked.get(entry.callsign);
      if (last === undefined || other.ended_at > last) this.lastWorked.set(entry.callsign, other.ended_at);
    }
  }
}
