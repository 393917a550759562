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

/** The QSO log as kept on disk (server/store/log-file.ts) or in memory. */
export interface LogStorage {
  readonly size: number;
  get(qsoId: string): LogEntry | undefined;
  /** Newest first. */
  page(offset: number, limit: number): LogEntry[];
  /** Oldest first, a snapshot of the log as it is now. */
  chronological(): Iterable<LogEntry>;
  /** Newest first, read lazily: for scans that stop early. */
  newestFirst(): Iterable<LogEntry>;
  /** Adds or replaces entries by `qso_id`; resolves once they are stored. */
  put(entries: readonly LogEntry[]): Promise<void>;
  remove(qsoIds: readonly string[]): Promise<void>;
}

export interface PileupStorage {
  loadState(): Promise<PersistedState | null>;
  /** Resolves once the state is stored; rejects (changing nothing) when it cannot be. */
  saveState(state: PersistedState): Promise<void>;
  readonly log: LogStorage;
}
