/**
 * One data file of the store on disk: appended to with group commit (group-commit.ts), and
 * rewritten whole by compaction the crash-safe way — a temp file written and synced, renamed
 * over the original, and the folder synced so the rename itself survives a power cut. A file
 * created here is followed by a sync of its folder too, or the new name could vanish with the
 * data in it.
 */
import { constants } from 'node:fs';
import { type FileHandle, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { StorageFailure } from '../core/storage.js';
import { type Appended, type CommitOutcome, type CommitTarget, GroupCommit, writeFully } from './group-commit.js';

export type { Appended };

const WHAT_WENT_WRONG: Record<string, string> = {
  ENOSPC: 'no space left on the disk',
  EDQUOT: 'the disk quota is used up',
  EIO: 'the disk reported an input/output error',
  EROFS: 'the file system is read-only',
  EACCES: 'not allowed to write there',
  EPERM: 'not allowed to write there',
  EFBIG: 'the file has grown too large',
};

/** A failed write in plain words, with the operating system's code as its reason. */
export function storageFailure(error: unknown, file: string): StorageFailure {
  if (error instanceof StorageFailure) return error;
  const reason = (error as NodeJS.ErrnoException | undefined)?.code ?? 'UNKNOWN';
  const what = WHAT_WENT_WRONG[reason] ?? (error instanceof Error ? error.message : String(error));
  return new StorageFailure(reason, file, `Could not save to ${file}: ${what}; nothing was changed`, { cause: error });
}

/** Syncs a folder's entries (a rename, a new file). Windows cannot open a folder for that: nothing to do there. */
export async function syncDirectory(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch (error) {
    const { code } = error as NodeJS.ErrnoException;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL' && code !== 'EACCES') throw error;
  } finally {
    await handle?.close();
  }
}

/**
 * Data files are opened with O_DSYNC where the platform has it (Linux, macOS; Windows does not):
 * a write then returns once its bytes are on stable storage, so a group costs one system call,
 * one trip to libuv's thread pool, instead of a write and an `fdatasync` (on this disk, idle:
 * 340 instead of 470 µs per durable append; `npm run bench -- durable`, 10 clients: 1,516
 * instead of 1,065 registrations/s, medians of 8 alternating runs). Elsewhere each write is
 * followed by `fdatasync`.
 */
const O_DSYNC: number = typeof constants.O_DSYNC === 'number' ? constants.O_DSYNC : 0;

/** Opens `filename` for positional, durable writes, creating it (and syncing its folder) when missing. */
async function openForWrites(filename: string): Promise<CommitTarget & { handle: FileHandle }> {
  let handle: FileHandle;
  try {
    handle = await open(filename, constants.O_RDWR | O_DSYNC);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    handle = await open(filename, constants.O_RDWR | constants.O_CREAT | constants.O_EXCL | O_DSYNC);
    await syncDirectory(path.dirname(filename));
  }
  return {
    handle,
    write: (buffer, offset, length, position) => handle.write(buffer, offset, length, position),
    datasync: () => handle.datasync(),
    truncate: (length) => handle.truncate(length),
    writesAreDurable: O_DSYNC !== 0,
  };
}

/** Documents as the lines of a data file. */
export function toLines(docs: Iterable<object>): string {
  let text = '';
  for (const doc of docs) text += `${JSON.stringify(doc)}\n`;
  return text;
}

const REWRITE_CHUNK = 1_000;

export class AppendFile {
  private constructor(
    readonly filename: string,
    private handle: FileHandle,
    private readonly commits: GroupCommit,
  ) {}

  /** `observe` hears the outcome of every write, for the store's health signal. */
  static async open(filename: string, observe: (outcome: CommitOutcome) => void): Promise<AppendFile> {
    const target = await openForWrites(filename);
    const { size } = await target.handle.stat();
    return new AppendFile(filename, target.handle, new GroupCommit(target, size, observe));
  }

  get name(): string {
    return path.basename(this.filename);
  }

  get length(): number {
    return this.commits.length;
  }

  get stats(): { syncs: number; bytesAppended: number } {
    return { syncs: this.commits.syncs, bytesAppended: this.commits.bytesAppended };
  }

  /**
   * Appends `text` (whole lines); resolves once it is on stable storage. `onDurable` runs first,
   * before any compaction can look at memory.
   */
  append(text: string, onDurable?: () => void): Promise<Appended> {
    return this.commits.append(Buffer.from(text, 'utf8'), onDurable).catch((error: unknown) => {
      throw storageFailure(error, this.name);
    });
  }

  /** Takes back the last append, when the change it belonged to was refused after all. */
  cutBack(appended: Appended): Promise<void> {
    return this.commits.exclusive(() => this.commits.cutBack(appended)).catch((error: unknown) => {
      throw storageFailure(error, this.name);
    });
  }

  /**
   * Replaces the file with one line per document of `snapshot()` (taken when the rewrite starts,
   * after every earlier append is durable and applied; null puts the rewrite off). A crash at
   * any point leaves either the old file or the new one whole.
   */
  rewrite(snapshot: () => readonly object[] | null): Promise<void> {
    return this.commits.exclusive(async () => {
      const docs = snapshot();
      if (docs === null) return;
      const temp = `${this.filename}~`;
      try {
        const out = await open(temp, 'w');
        try {
          let size = 0;
          // In chunks of lines, so memory stays flat however long the file.
          for (let i = 0; i < docs.length; i += REWRITE_CHUNK) {
            const bytes = Buffer.from(toLines(docs.slice(i, i + REWRITE_CHUNK)), 'utf8');
            await writeFully(out, bytes, size);
            size += bytes.length;
          }
          await out.sync();
        } finally {
          await out.close();
        }
        // Windows cannot rename over a file that is open.
        await this.handle.close();
        try {
          await rename(temp, this.filename);
          await syncDirectory(path.dirname(this.filename));
        } finally {
          const target = await openForWrites(this.filename);
          this.handle = target.handle;
          this.commits.replaceTarget(target, (await target.handle.stat()).size);
        }
      } finally {
        await rm(temp, { force: true });
      }
    });
  }

  close(): Promise<void> {
    return this.commits.exclusive(() => this.handle.close());
  }
}
