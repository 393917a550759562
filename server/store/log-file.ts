/**
 * The QSO log on disk and in memory: `log.db`, one JSON document per line in NeDB's format
 * (`_id` = `qso_id`; a later line with the same `_id` replaces it; `{"_id","$$deleted":true}`
 * removes it), so data folders of earlier versions load unchanged.
 *
 * A start streams the file line by line (line-reader.ts: no whole-file string, so a log of any
 * size starts), keeps the QSOs in an array ordered by `ended_at`, serves pages by slicing it
 * from the end, and rewrites the file only when it needs repair (a torn or corrupt line) or on
 * compaction.
 *
 * Writes are the store's: `write` appends with group commit, synced (append-file.ts),
 * without touching memory; the store then `apply`s the write once the state that goes with it
 * is stored too, or takes it back off the end of the file when that failed. Compaction waits
 * while a write is neither applied nor taken back.
 */
import path from 'node:path';
import type { LogStorage } from '../core/storage.js';
import type { LogEntry } from '../protocol/entities.js';
import { type Appended, AppendFile, toLines } from './append-file.js';
import type { SkippedLine } from './damaged-lines.js';
import type { CommitOutcome } from './group-commit.js';
import { type Doc, readDataFile } from './line-reader.js';

type StoredEntry = LogEntry & { _id: string };

export interface OpenedLog {
  log: LogFile;
  skipped: SkippedLine[];
  backup?: string;
}

/** A write on disk, not yet in memory: the store applies it, or takes it back. */
export interface LogWrite {
  apply(): void;
  takeBack(): Promise<void>;
}

function isStoredEntry(doc: Doc): doc is StoredEntry {
  const { _id, callsign, ended_at, started_at } = doc as Partial<StoredEntry>;
  return typeof _id === 'string' && typeof callsign === 'string' && typeof ended_at === 'string' && typeof started_at === 'string';
}

function withoutId(doc: StoredEntry): LogEntry {
  const { _id: _ignored, ...entry } = doc;
  return entry;
}

/** Index of the first entry that ends after `endedAt`: equal times keep their arrival order. */
function upperBound(entries: readonly StoredEntry[], endedAt: string): number {
  let low = 0;
  let high = entries.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((entries[mid] as StoredEntry).ended_at <= endedAt) low = mid + 1;
    else high = mid;
  }
  return low;
}

export class LogFile implements LogStorage {
  /** Oldest first by `ended_at`. */
  private readonly ordered: StoredEntry[];
  private readonly byId = new Map<string, StoredEntry>();
  /** Writes on disk that are neither applied nor taken back yet. */
  private unsettled = 0;

  private constructor(
    private readonly file: AppendFile,
    docs: Iterable<StoredEntry>,
  ) {
    this.ordered = [...docs].sort((a, b) => (a.ended_at < b.ended_at ? -1 : a.ended_at > b.ended_at ? 1 : 0));
    for (const doc of this.ordered) this.byId.set(doc._id, doc);
  }

  static async open(filename: string, now: () => number, observe: (outcome: CommitOutcome) => void): Promise<OpenedLog> {
    const docs = new Map<string, StoredEntry>();
    const { skipped, backup, needsRepair } = await readDataFile(filename, now, {
      accepts: isStoredEntry,
      put(doc) {
        // A replaced document moves to the end, like the line that replaced it.
        docs.delete(doc._id);
        docs.set(doc._id, doc);
      },
      remove(id) {
        docs.delete(id);
      },
    });
    const log = new LogFile(await AppendFile.open(filename, observe), docs.values());
    // A bad line is dropped for good, and an unterminated last line must not swallow the next append.
    if (needsRepair) await log.compact();
    return { log, skipped, ...(backup !== undefined && { backup }) };
  }

  get name(): string {
    return path.basename(this.file.filename);
  }

  get stats(): { syncs: number; bytesAppended: number } {
    return this.file.stats;
  }

  get size(): number {
    return this.ordered.length;
  }

  /** Newest first. */
  page(offset: number, limit: number): LogEntry[] {
    const end = Math.max(0, this.ordered.length - offset);
    const start = Math.max(0, end - limit);
    return this.ordered.slice(start, end).reverse().map(withoutId);
  }

  /** Oldest first, a snapshot of the log as it is now. */
  *chronological(): Generator<Readonly<LogEntry>> {
    yield* this.ordered.slice();
  }

  /** Newest first, read lazily, so a scan that stops early costs only what it read. */
  *newestFirst(): Generator<Readonly<LogEntry>> {
    const snapshot = this.ordered.slice();
    for (let i = snapshot.length - 1; i >= 0; i -= 1) yield snapshot[i] as StoredEntry;
  }

  get(qsoId: string): LogEntry | undefined {
    const doc = this.byId.get(qsoId);
    return doc === undefined ? undefined : withoutId(doc);
  }

  /**
   * Appends `put` (added or replacing by `qso_id`) and the removal of `remove`; resolves once
   * that is on stable storage, with the write to apply or take back. Memory does not change yet.
   */
  async write(put: readonly LogEntry[], remove: readonly string[]): Promise<LogWrite> {
    const docs = put.map((entry): StoredEntry => ({ _id: entry.qso_id, ...entry }));
    const removed = remove.filter((id) => this.byId.has(id));
    if (docs.length === 0 && removed.length === 0) return { apply: () => undefined, takeBack: async () => undefined };
    this.unsettled += 1;
    let appended: Appended;
    try {
      appended = await this.file.append(toLines(docs) + toLines(removed.map((id) => ({ _id: id, $$deleted: true }))));
    } catch (error) {
      this.unsettled -= 1;
      throw error;
    }
    let settled = false;
    const settle = () => {
      if (settled) throw new Error('a log write is applied or taken back once');
      settled = true;
      this.unsettled -= 1;
    };
    return {
      apply: () => {
        settle();
        for (const id of removed) this.forget(id);
        for (const doc of docs) {
          this.forget(doc._id);
          this.ordered.splice(upperBound(this.ordered, doc.ended_at), 0, doc);
          this.byId.set(doc._id, doc);
        }
      },
      takeBack: async () => {
        settle();
        await this.file.cutBack(appended);
      },
    };
  }

  /** Rewrites the file to one line per QSO, in end-time order (put off while a write is unsettled). */
  compact(): Promise<void> {
    return this.file.rewrite(() => (this.unsettled > 0 ? null : this.ordered.slice()));
  }

  close(): Promise<void> {
    return this.file.close();
  }

  private forget(qsoId: string): void {
    const old = this.byId.get(qsoId);
    if (old === undefined) return;
    this.byId.delete(qsoId);
    // Search only among entries with the same end time.
    for (let i = upperBound(this.ordered, old.ended_at) - 1; i >= 0; i -= 1) {
      if (this.ordered[i] === old) {
        this.ordered.splice(i, 1);
        return;
      }
      if ((this.ordered[i] as StoredEntry).ended_at !== old.ended_at) return;
    }
  }
}
