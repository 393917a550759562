/**
 * What the core persists and the storage it needs (ports, in the hexagonal sense): the pileup
 * state and the QSO log. server/store implements them on disk; the core's unit tests keep them
 * in memory. The core never imports a store.
 */
import type { Controls, CurrentQso, LogEntry } from '../protocol/entities.js';

/** What is kept of a waiting caller; the rest of a queue entry is derived when it is sent. */
export interface PersistedQueueEntry {
  callsign: string;
  /** When the caller registered (kept when a no-show goes back into the queue). */
  timestamp: string;
  /** The caller's locator, when given at registration. */
  locator?: string;
  /** How often the caller did not answer when called. */
  no_shows?: number;
}

export interface PersistedQso extends CurrentQso {
  /** True once this QSO is in the log (sent by logging software), so completing it logs nothing. */
  logged: boolean;
  /** Carried over from the queue entry of a caller worked from the queue. */
  queued_at?: string;
  locator?: string;
  no_shows?: number;
}

export interface PersistedState {
  active: boolean;
  queue: PersistedQueueEntry[];
  current: PersistedQso | null;
  frequency: string | null;
  mode: string | null;
  split: string | null;
  max_queue_size: number;
  /** Pause, bans and registration rules (absent in state written before they existed). */
  controls: Controls;
}

/** The QSO log as kept on disk (server/store/log-file.ts) or in memory; it changes only through `PileupStorage.commit`. */
export interface LogStorage {
  readonly size: number;
  get(qsoId: string): LogEntry | undefined;
  /** Newest first. */
  page(offset: number, limit: number): LogEntry[];
  /**
   * Oldest first, a snapshot of the log as it is now. Both scans hand out the log's own entries,
   * not copies (a start-up indexes every QSO): read their fields, never change them or send
   * them whole.
   */
  chronological(): Iterable<Readonly<LogEntry>>;
  /** Newest first, read lazily: for scans that stop early. */
  newestFirst(): Iterable<Readonly<LogEntry>>;
}

/** What one commit stores: log entries added or replaced (by `qso_id`) and removed, and the new state. */
export interface StorageChange {
  put?: readonly LogEntry[];
  remove?: readonly string[];
  state?: PersistedState;
}

export interface PileupStorage {
  loadState(): Promise<PersistedState | null>;
  /**
   * Stores a change on stable storage — the log's part first, then the state, so a power cut in
   * between loses nothing — and only then shows it in `log`. Rejects with a StorageFailure when
   * it cannot, having stored none of it.
   */
  commit(change: StorageChange): Promise<void>;
  readonly log: LogStorage;
}

/**
 * The storage refused a change (a full disk, an I/O error, a read-only file system): nothing of
 * it was stored. `reason` is the operating system's code (ENOSPC, EIO, EROFS, …).
 */
export class StorageFailure extends Error {
  constructor(
    readonly reason: string,
    readonly file: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'StorageFailure';
  }
}
