/**
 * The core's storage ports (server/core/storage.ts) in memory, for fast unit tests of the core:
 * the same contract as the files (log ordered by end time, a later entry with the same id
 * replaces the earlier one), without a disk. `failNext` makes the next write reject, like a
 * full disk.
 */
import type { LogStorage, PersistedState, PileupStorage } from '../../server/core/storage.js';
import type { LogEntry } from '../../server/protocol/entities.js';

export class MemoryLog implements LogStorage {
  /** Oldest first by `ended_at`; equal times keep their arrival order. */
  private entries: LogEntry[] = [];
  failNext: Error | null = null;

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

  async put(entries: readonly LogEntry[]): Promise<void> {
    this.throwIfFailing();
    for (const entry of entries) {
      this.entries = this.entries.filter((other) => other.qso_id !== entry.qso_id);
      const at = this.entries.findIndex((other) => other.ended_at > entry.ended_at);
      this.entries.splice(at < 0 ? this.entries.length : at, 0, structuredClone(entry));
    }
  }

  async remove(qsoIds: readonly string[]): Promise<void> {
    this.throwIfFailing();
    this.entries = this.entries.filter((entry) => !qsoIds.includes(entry.qso_id));
  }

  private throwIfFailing(): void {
    const failure = this.failNext;
    this.failNext = null;
    if (failure !== null) throw failure;
  }
}

export class MemoryStorage implements PileupStorage {
  readonly log = new MemoryLog();
  private state: PersistedState | null = null;
  failNextSave: Error | null = null;

  async loadState(): Promise<PersistedState | null> {
    return this.state === null ? null : structuredClone(this.state);
  }

  async saveState(state: PersistedState): Promise<void> {
    const failure = this.failNextSave;
    this.failNextSave = null;
    if (failure !== null) throw failure;
    this.state = structuredClone(state);
  }
}
