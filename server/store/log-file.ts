/**
 * The QSO log on disk and in memory: `log.db`, one JSON document per line in NeDB's format
 * (`_id` = `qso_id`; a later line with the same `_id` replaces it; `{"$$deleted":true,"_id"}`
 * removes it), so data folders of earlier versions load unchanged.
 *
 * NeDB loaded it into an AVL index, built a second index, rewrote the whole file on every start
 * and sorted all QSOs for every page. Here a start reads and parses the file once, keeps the QSOs
 * in an array ordered by `ended_at`, serves pages by slicing it from the end, and rewrites the
 * file only when it needs repair (a torn or corrupt line) or on compaction.
 *
 * Every write resolves once the line is appended to the file, so an acknowledged QSO survives
 * the process being killed; writes and compaction run one at a time.
 */
import { type FileHandle, open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { SerialQueue } from '../async/serial-queue.js';
import type { LogStorage } from '../core/storage.js';
import type { LogEntry } from '../protocol/entities.js';
import { summarize } from '../protocol/summary.js';
import { keepBackup, type SkippedLine } from './collection.js';

type StoredEntry = LogEntry & { _id: string };

export interface OpenedLog {
  log: LogFile;
  skipped: SkippedLine[];
  backup?: string;
}

/** Lines written per chunk when the whole file is rewritten, so memory stays flat. */
const REWRITE_CHUNK = 1_000;

function isStoredEntry(doc: unknown): doc is StoredEntry {
  if (typeof doc !== 'object' || doc === null) return false;
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
  private readonly writes = new SerialQueue();
  private compactionTimer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly filename: string,
    private handle: FileHandle,
    docs: Iterable<StoredEntry>,
  ) {
    this.ordered = [...docs].sort((a, b) => (a.ended_at < b.ended_at ? -1 : a.ended_at > b.ended_at ? 1 : 0));
    for (const doc of this.ordered) this.byId.set(doc._id, doc);
  }

  static async open(filename: string, now: () => number): Promise<OpenedLog> {
    const text = await readFile(filename, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return '';
      throw error;
    });
    const docs = new Map<string, StoredEntry>();
    const skipped: SkippedLine[] = [];
    let lineNumber = 0;
    for (const line of text.split('\n')) {
      lineNumber += 1;
      if (line === '') continue;
      let doc: unknown;
      try {
        doc = JSON.parse(line);
      } catch {
        doc = undefined;
      }
      if (isStoredEntry(doc)) {
        // A replaced document moves to the end, like the line that replaced it.
        docs.delete(doc._id);
        docs.set(doc._id, doc);
      } else if (typeof doc === 'object' && doc !== null && '$$deleted' in doc && '_id' in doc) {
        docs.delete(String(doc._id));
      } else if (!(typeof doc === 'object' && doc !== null && '$$indexCreated' in doc)) {
        skipped.push({ file: path.basename(filename), line: lineNumber, preview: summarize(line) });
      }
    }
    const backup = skipped.length > 0 ? await keepBackup(filename, new Date(now()).toISOString().replace(/[:.]/g, '-')) : undefined;
    const handle = await open(filename, 'a');
    const log = new LogFile(filename, handle, docs.values());
    // A bad line is dropped for good, and an unterminated last line must not swallow the next append.
    if (skipped.length > 0 || (text !== '' && !text.endsWith('\n'))) await log.compact();
    return { log, skipped, ...(backup !== undefined && { backup }) };
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

  /** Oldest first, a snapshot of the log as it is now; entries are read as they are consumed. */
  *chronological(): Generator<LogEntry> {
    for (const doc of this.ordered.slice()) yield withoutId(doc);
  }

  /** Newest first, read lazily, so a scan that stops early costs only what it read. */
  *newestFirst(): Generator<LogEntry> {
    const snapshot = this.ordered.slice();
    for (let i = snapshot.length - 1; i >= 0; i -= 1) yield withoutId(snapshot[i] as StoredEntry);
  }

  get(qsoId: string): LogEntry | undefined {
    const doc = this.byId.get(qsoId);
    return doc === undefined ? undefined : withoutId(doc);
  }

  /** Adds or replaces entries by `qso_id`; resolves once they are appended to the file. */
  put(entries: readonly LogEntry[]): Promise<void> {
    if (entries.length === 0) return Promise.resolve();
    const docs = entries.map((entry): StoredEntry => ({ _id: entry.qso_id, ...entry }));
    return this.serially(async () => {
      await this.handle.appendFile(docs.map((doc) => `${JSON.stringify(doc)}\n`).join(''));
      for (const doc of docs) {
        this.forget(doc._id);
        this.ordered.splice(upperBound(this.ordered, doc.ended_at), 0, doc);
        this.byId.set(doc._id, doc);
      }
    });
  }

  remove(qsoIds: readonly string[]): Promise<void> {
    const known = qsoIds.filter((id) => this.byId.has(id));
    if (known.length === 0) return Promise.resolve();
    return this.serially(async () => {
      await this.handle.appendFile(known.map((id) => `${JSON.stringify({ $$deleted: true, _id: id })}\n`).join(''));
      for (const id of known) this.forget(id);
    });
  }

  /** Rewrites the file to one line per QSO: a temp file renamed over the original, so a crash keeps one of them whole. */
  compact(): Promise<void> {
    return this.serially(async () => {
      const temp = `${this.filename}~`;
      try {
        const out = await open(temp, 'w');
        try {
          for (let i = 0; i < this.ordered.length; i += REWRITE_CHUNK) {
            const chunk = this.ordered.slice(i, i + REWRITE_CHUNK);
            await out.write(chunk.map((doc) => `${JSON.stringify(doc)}\n`).join(''));
          }
          await out.sync();
        } finally {
          await out.close();
        }
        await this.handle.close();
        try {
          await rename(temp, this.filename);
        } finally {
          this.handle = await open(this.filename, 'a');
        }
      } finally {
        await rm(temp, { force: true });
      }
    });
  }

  setCompactionInterval(ms: number): void {
    clearInterval(this.compactionTimer);
    this.compactionTimer = setInterval(() => void this.compact().catch(() => undefined), ms);
    this.compactionTimer.unref();
  }

  /** Compacts once more and closes the file; the log is not used after this. */
  async close(): Promise<void> {
    clearInterval(this.compactionTimer);
    await this.compact();
    await this.serially(() => this.handle.close());
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

  private serially<T>(work: () => Promise<T>): Promise<T> {
    return this.writes.run(work);
  }
}
