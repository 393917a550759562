/**
 * The core's storage ports (server/core/storage.ts) in memory, for fast unit tests of the core:
 * the same contract as the files (log ordered by end time, a later entry with the same id
 * replaces the earlier one, a commit stores all of a change or none of it), without a disk.
 * `failNext` makes the next commit reject, like a full disk; `hold` keeps commits in flight
 * until `release`, so a test can see what arrives meanwhile.
 */
import type { LogStorage, PersistedState, PileupStorage, StorageChange } from '../../server/core/storage.js';
import type { LogEntry } from '../../server/protocol/entities.js';

export class MemoryLog implements LogStorage {
  /** Oldest first by `ended_at`; equal times keep their arrival order. */
  private entries: LogEntry[] = [];

  get size(): number {
    return this.entries.length;
  }

  get(qsoId: string): LogEntry | undefined {
    const found = this.entries.find((entry) => entry.qso_id === qsoId);
    return found === undefined ? undefined : structuredClone(found);
  }

  page(offset: number, limit: number): LogEntry[] {
    const end = Math.max(0, this.entries.length - offset);
    return this.entries.slice(Math.max(0, end - limit), end).reverse().map((entry) => structuredClone(entry));
  }

  chronological(): Iterable<LogEntry> {
    return this.entries.map((entry) => structuredClone(entry));
  }

  newestFirst(): Iterable<LogEntry> {
    return this.entries.slice().reverse();
  }

  apply({ put = [], remove = [] }: StorageChange): void {
    this.entries = this.entries.filter((entry) => !remove.includes(entry.qso_id));
    for (const entry of put) {
      this.entries = this.entries.filter((other) => other.qso_id !== entry.qso_id);
      const at = this.entries.findIndex((other) => other.ended_at > entry.ended_at);
      this.entries.splice(at < 0 ? this.entries.length : at, 0, structuredClone(entry));
    }
  }
}

export class MemoryStorage implements PileupStorage {
  readonly log = new MemoryLog();
  /** Every commit asked for, in order (failed ones too). */
  readonly commits: StorageChange[] = [];
  private state: PersistedState | null = null;
  private held: (() => void)[] = [];
  hold = false;
  failNext: Error | null = null;

  async loadState(): Promise<PersistedState | null> {
    return structuredClone(this.state);
  }

  /** `failNext` fails the next commit to be called (not one already in flight). */
  async commit(change: StorageChange): Promise<void> {
    this.commits.push(structuredClone(change));
    const failure = this.failNext;
    this.failNext = null;
    if (this.hold) await new Promise<void>((resolve) => this.held.push(resolve));
    if (failure !== null) throw failure;
    this.log.apply(change);
    if (change.state) this.state = structuredClone(change.state);
  }

  release(): void {
    this.hold = false;
    for (const resolve of this.held.splice(0)) resolve();
  }
}
