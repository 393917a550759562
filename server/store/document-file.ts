/**
 * A collection of documents in one file in NeDB's format — one JSON document per line, `_id`
 * first; a later line with the same `_id` replaces the document; `{"$$deleted":true,"_id"}`
 * removes it — so data folders of earlier versions load unchanged and NeDB itself can read ours
 * (tests/store/nedb-format.test.ts proves both ways). Used for state.db, sessions.db and
 * settings.db; log.db has its own class for its order and indexes (log-file.ts).
 *
 * Why not NeDB's own Datastore: it changes its memory before it appends, and does not take the
 * change back when the append fails, so a refused write would be saved by the next compaction;
 * it appends with `fs.appendFile` and never syncs an append; and a failed append can leave half
 * a line behind. Here a write is appended with group commit and synced (append-file.ts) and
 * memory changes only once it is on stable storage.
 *
 * Start-up reads the file line by line (line-reader.ts). A torn or corrupt line never stops it:
 * the line is skipped and reported, the original is kept as `<name>.corrupt-<time>`, and the
 * file is rewritten without it.
 */
import { AppendFile, toLines } from './append-file.js';
import type { SkippedLine } from './damaged-lines.js';
import type { CommitOutcome } from './group-commit.js';
import { type DataFileRead, type Doc, readDataFile } from './line-reader.js';

export type { Doc };

export interface OpenedDocuments {
  file: DocumentFile;
  skipped: SkippedLine[];
  backup?: string;
}

type Damage = DataFileRead['damage'][number];

export class DocumentFile {
  private constructor(
    private readonly file: AppendFile,
    private readonly docs: Map<string, Doc>,
    private readonly damage: readonly Damage[],
    /** The line each document was last read from, kept only when there was damage to judge. */
    private readonly lastGoodLine: ReadonlyMap<string, number>,
  ) {}

  static async open(filename: string, now: () => number, observe: (outcome: CommitOutcome) => void): Promise<OpenedDocuments> {
    const docs = new Map<string, Doc>();
    const lastGoodLine = new Map<string, number>();
    const read = await readDataFile(filename, now, {
      accepts: (_doc): _doc is Doc => true,
      put(doc, line) {
        docs.set(doc._id, doc);
        lastGoodLine.set(doc._id, line);
      },
      remove(id, line) {
        docs.delete(id);
        lastGoodLine.set(id, line);
      },
    });
    const { damage, skipped, backup } = read;
    const file = new DocumentFile(await AppendFile.open(filename, observe), docs, damage, damage.length > 0 ? lastGoodLine : new Map());
    // A bad line is dropped for good, and an unterminated last line must not swallow the next append.
    if (read.needsRepair) await file.compact();
    return { file, skipped, ...(backup !== undefined && { backup }) };
  }

  get name(): string {
    return this.file.name;
  }

  get stats(): { syncs: number; bytesAppended: number } {
    return this.file.stats;
  }

  get(id: string): Doc | undefined {
    return this.docs.get(id);
  }

  values(): IterableIterator<Doc> {
    return this.docs.values();
  }

  /**
   * Whether a line that could not be read may have held a newer version of document `id` than
   * the one loaded (or its removal): a damaged line about it, or about an unknown document,
   * after the last good line about it. Security records fail closed on this.
   */
  mayHideNewer(id: string): boolean {
    const last = this.lastGoodLine.get(id) ?? 0;
    return this.damage.some((damaged) => (damaged.id === undefined || damaged.id === id) && damaged.line > last);
  }

  /** Whether any line could not be read when the file was opened. */
  get damaged(): boolean {
    return this.damage.length > 0;
  }

  /**
   * Replaces `put` (by `_id`) and removes `remove` in one append; resolves once it is on stable
   * storage, and only then does memory change. Rejects with a StorageFailure, changing nothing.
   */
  async write(put: readonly Doc[], remove: readonly string[] = []): Promise<void> {
    const removed = remove.filter((id) => this.docs.has(id));
    if (put.length === 0 && removed.length === 0) return;
    const text = toLines(put) + toLines(removed.map((id) => ({ _id: id, $$deleted: true })));
    await this.file.append(text, () => {
      for (const doc of put) this.docs.set(doc._id, doc);
      for (const id of removed) this.docs.delete(id);
    });
  }

  /** Rewrites the file to one line per document. */
  compact(): Promise<void> {
    return this.file.rewrite(() => [...this.docs.values()]);
  }

  close(): Promise<void> {
    return this.file.close();
  }
}
