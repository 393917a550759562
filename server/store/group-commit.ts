/**
 * Group commit for one append-only file: appends that arrive while a write and its sync are in
 * flight wait, and then go to disk together in one write and one sync (one O_DSYNC write, or a
 * write and an `fdatasync`). So a slow disk costs one sync per group, not one per change, and
 * throughput grows with the number of writers instead of being capped at one change per sync.
 *
 * An append resolves only once its bytes are on stable storage. When the write or the sync
 * fails (a full disk, an I/O error, a read-only file system), every append of that group is
 * refused and the file is cut back to its last good length, so no fragment is left for the next
 * append to land behind. If even the cut fails, the next group tries it again before writing.
 *
 * Exclusive tasks (a compaction that replaces the file, closing it) run between groups, never
 * during one.
 */

/** What a group commit needs of an open file (append-file.ts opens one). */
export interface CommitTarget {
  write(buffer: Uint8Array, offset: number, length: number, position: number): Promise<{ bytesWritten: number }>;
  datasync(): Promise<void>;
  truncate(length: number): Promise<void>;
  /**
   * The file was opened with O_DSYNC: a write returns only once its bytes are on stable
   * storage, so it needs no `datasync` after it (a cut still does: truncating is no write).
   */
  readonly writesAreDurable: boolean;
}

/**
 * Writes all of `buffer` at `position`. A write may be cut short (the disk filled up in the
 * middle of it); the rest is written by the next call, which then fails with the OS's reason.
 */
export async function writeFully(target: Pick<CommitTarget, 'write'>, buffer: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < buffer.length) {
    const { bytesWritten } = await target.write(buffer, done, buffer.length - done, position + done);
    // A write that makes no progress would loop for ever.
    if (bytesWritten <= 0) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    done += bytesWritten;
  }
}

/** Where an append landed: bytes [start, end) of the file. */
export interface Appended {
  start: number;
  end: number;
}

export type CommitOutcome = { ok: true } | { ok: false; error: unknown };

interface PendingAppend {
  kind: 'append';
  bytes: Uint8Array;
  /** Runs synchronously once the bytes are durable, before any later task: memory follows the file. */
  onDurable: ((appended: Appended) => void) | undefined;
  resolve(appended: Appended): void;
  reject(error: unknown): void;
}

interface PendingTask {
  kind: 'task';
  run(): Promise<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/** Bytes written in one group at most, so a burst of large appends is not one huge buffer. */
const MAX_GROUP_BYTES = 4 * 1024 * 1024;

export class GroupCommit {
  private readonly queue: (PendingAppend | PendingTask)[] = [];
  private running = false;
  /** The write failed and cutting the file back failed too: cut again before the next write. */
  private dirty = false;
  /** Syncs made (durable writes or fdatasync calls), for the benchmarks. */
  syncs = 0;
  bytesAppended = 0;

  /**
   * `length` is the file's good length: the next append goes there. `observe` hears the outcome
   * of every group (the store's health signal).
   */
  constructor(
    private target: CommitTarget,
    private goodLength: number,
    private readonly observe: (outcome: CommitOutcome) => void = () => undefined,
  ) {}

  get length(): number {
    return this.goodLength;
  }

  /** Appends `bytes`; resolves once they are on stable storage, rejects having left nothing behind. */
  append(bytes: Uint8Array, onDurable?: (appended: Appended) => void): Promise<Appended> {
    return new Promise<Appended>((resolve, reject) => {
      this.queue.push({ kind: 'append', bytes, onDurable, resolve, reject });
      this.kick();
    });
  }

  /** Runs `run` alone: no group is in flight while it runs, and none starts until it is done. */
  exclusive<T>(run: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ kind: 'task', run, resolve: resolve as (value: unknown) => void, reject });
      this.kick();
    });
  }

  /** For an exclusive task that replaced the file: appends go to `target` at `length` from now on. */
  replaceTarget(target: CommitTarget, length: number): void {
    this.target = target;
    this.goodLength = length;
    this.dirty = false;
  }

  /**
   * Takes back the last append (its change was refused after all): for an exclusive task. Only
   * the end of the file can be taken back; anything appended after it would be lost with it.
   */
  async cutBack(appended: Appended): Promise<void> {
    if (appended.end !== this.goodLength) throw new Error('only the last append can be cut back');
    // From now on the append is not part of the file, even if cutting it off fails here: the
    // next group then cuts first, and writes over it.
    this.goodLength = appended.start;
    try {
      await this.target.truncate(appended.start);
      this.syncs += 1;
      await this.target.datasync();
    } catch (error) {
      this.dirty = true;
      throw error;
    }
  }

  private kick(): void {
    if (this.running) return;
    this.running = true;
    void this.drain();
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const head = this.queue[0] as PendingAppend | PendingTask;
      if (head.kind === 'task') {
        this.queue.shift();
        try {
          head.resolve(await head.run());
        } catch (error) {
          head.reject(error);
        }
        continue;
      }
      await this.commit(this.takeGroup());
    }
    this.running = false;
  }

  private takeGroup(): PendingAppend[] {
    const group: PendingAppend[] = [];
    let bytes = 0;
    while (this.queue[0]?.kind === 'append' && (group.length === 0 || bytes + this.queue[0].bytes.length <= MAX_GROUP_BYTES)) {
      const next = this.queue.shift() as PendingAppend;
      bytes += next.bytes.length;
      group.push(next);
    }
    return group;
  }

  private async commit(group: PendingAppend[]): Promise<void> {
    const start = this.goodLength;
    const buffer = group.length === 1 ? (group[0] as PendingAppend).bytes : Buffer.concat(group.map((entry) => entry.bytes));
    try {
      if (this.dirty) {
        await this.target.truncate(start);
        this.dirty = false;
      }
      await writeFully(this.target, buffer, start);
      this.syncs += 1;
      if (!this.target.writesAreDurable) await this.target.datasync();
    } catch (error) {
      await this.cutAfterFailure(start);
      this.observe({ ok: false, error });
      for (const entry of group) entry.reject(error);
      return;
    }
    this.goodLength = start + buffer.length;
    this.bytesAppended += buffer.length;
    this.observe({ ok: true });
    let offset = start;
    for (const entry of group) {
      const appended = { start: offset, end: offset + entry.bytes.length };
      offset = appended.end;
      entry.onDurable?.(appended);
      entry.resolve(appended);
    }
  }

  private async cutAfterFailure(length: number): Promise<void> {
    try {
      await this.target.truncate(length);
      await this.target.datasync();
    } catch {
      this.dirty = true;
    }
  }
}
