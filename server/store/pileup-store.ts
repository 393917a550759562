/**
 * The data folder: four files in NeDB's line format, owned by one process at a time.
 * - `state.db`: the pileup state, one document per waiting station and per ban plus one for the
 *   rest (state-documents.ts), so a change appends what changed.
 * - `log.db`: every QSO, keyed by its `qso_id` so that logging it twice is impossible (log-file.ts).
 * - `sessions.db`: hashed session tokens with their expiry.
 * - `settings.db`: stored credentials (hash only) and other settings (the relay's secrets in
 *   clear: the station has to send them to the NATS server).
 *
 * Acknowledged means on stable storage: every write resolves only once it is appended and
 * synced (group commit, group-commit.ts; O_DSYNC or `fdatasync`, append-file.ts); a write that
 * fails leaves nothing behind in the file and nothing changed in memory. A lock
 * (data-dir-lock.ts) keeps a second server off the folder, so two never overwrite each other's
 * changes.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { PersistedState, PileupStorage, StorageChange } from '../core/storage.js';
import type { BridgeSettings } from '../protocol/bridges.js';
import type { ListenSettings } from '../protocol/listen.js';
import type { StationSettings } from '../protocol/station.js';
import type { RelaySettings } from '../protocol/relay.js';
import { DataDirLock } from './data-dir-lock.js';
import type { SkippedLine } from './damaged-lines.js';
import { type Doc, DocumentFile } from './document-file.js';
import { LogFile, type LogWrite } from './log-file.js';
import { planState, readState, type StoredLayout } from './state-documents.js';
import { StorageHealth } from './storage-health.js';

export type { SkippedLine };

export interface SessionRecord {
  token_hash: string;
  created_at: number;
  expires_at: number;
}

export interface StoredCredentials {
  username: string;
  password_hash: string;
}

export interface OpenReport {
  skipped: SkippedLine[];
  backups: string[];
}

export interface StoreOptions {
  now?: () => number;
  /** How often a failing store tries a probe write to see whether it recovered. */
  probeMs?: number;
}

/** Counters for the benchmarks: bytes appended and syncs (O_DSYNC writes or fdatasync calls), per file. */
export type StoreStats = Record<string, { syncs: number; bytesAppended: number }>;

const CREDENTIALS_ID = 'credentials';
const BRIDGES_ID = 'bridges';
const LISTEN_ID = 'listen';
const RELAY_ID = 'relay';
const STATION_ID = 'station';
const COMPACTION_INTERVAL_MS = 10 * 60 * 1000;

function withoutId<T extends object>(doc: Doc): T {
  const { _id: _ignored, ...rest } = doc;
  return rest as unknown as T;
}

function isSessionRecord(value: object): value is SessionRecord {
  const { token_hash, created_at, expires_at } = value as Partial<SessionRecord>;
  return typeof token_hash === 'string' && typeof created_at === 'number' && typeof expires_at === 'number';
}

function isCredentials(value: object): value is StoredCredentials {
  const { username, password_hash } = value as Partial<StoredCredentials>;
  return typeof username === 'string' && username !== '' && typeof password_hash === 'string' && password_hash !== '';
}

export class PileupStore implements PileupStorage {
  private compactionTimer: NodeJS.Timeout | undefined;
  private closing: Promise<void> | undefined;

  private constructor(
    readonly dataDir: string,
    private readonly lock: DataDirLock,
    private readonly state: DocumentFile,
    private stateLayout: StoredLayout,
    readonly log: LogFile,
    private readonly sessions: DocumentFile,
    private readonly settings: DocumentFile,
    readonly report: OpenReport,
    readonly health: StorageHealth,
  ) {
    this.compactionTimer = setInterval(() => void this.compact().catch(() => undefined), COMPACTION_INTERVAL_MS);
    this.compactionTimer.unref();
  }

  /** Takes the folder's lock (DataDirLocked when another process holds it), then loads every file. */
  static async open(dataDir: string, options: StoreOptions = {}): Promise<PileupStore> {
    const now = options.now ?? Date.now;
    await mkdir(dataDir, { recursive: true });
    // The lock tells people (and other processes) when it was taken: the wall clock, not a test's.
    const lock = await DataDirLock.acquire(dataDir);
    const health = new StorageHealth(dataDir, now, options.probeMs);
    const file = (name: string) => path.join(dataDir, name);
    try {
      const [openedLog, ...opened] = await Promise.all([
        LogFile.open(file('log.db'), now, health.observer('log.db')),
        ...['state.db', 'sessions.db', 'settings.db'].map((name) => DocumentFile.open(file(name), now, health.observer(name))),
      ]);
      const all = [openedLog, ...opened];
      const report: OpenReport = {
        skipped: all.flatMap((o) => o.skipped),
        backups: all.flatMap((o) => (o.backup ? [o.backup] : [])),
      };
      const [state, sessions, settings] = opened.map((o) => o.file) as [DocumentFile, DocumentFile, DocumentFile];
      return new PileupStore(dataDir, lock, state, readState(state.values()).layout, openedLog.log, sessions, settings, report, health);
    } catch (error) {
      await lock.release();
      throw error;
    }
  }

  async loadState(): Promise<PersistedState | null> {
    return readState(this.state.values()).state;
  }

  async commit({ put = [], remove = [], state }: StorageChange): Promise<void> {
    const plan = state === undefined ? null : planState(this.stateLayout, state);
    let logWrite: LogWrite | undefined;
    if (put.length > 0 || remove.length > 0) logWrite = await this.log.write(put, remove);
    try {
      if (plan !== null) await this.state.write(plan.put, plan.remove);
    } catch (error) {
      // The state's failure is the one to report; a log append that cannot be cut off now is
      // cut before the next one (group-commit.ts).
      await logWrite?.takeBack().catch(() => undefined);
      throw error;
    }
    logWrite?.apply();
    if (plan !== null) this.stateLayout = plan.after;
  }

  async putSession(session: SessionRecord): Promise<void> {
    await this.sessions.write([{ _id: session.token_hash, ...session }]);
  }

  async deleteSessions(tokenHashes: string[]): Promise<void> {
    await this.sessions.write([], tokenHashes);
  }

  /** Every stored session; 'damaged' when a line of sessions.db could not be read (it may have been a logout). */
  async loadSessions(): Promise<SessionRecord[] | 'damaged'> {
    const records = [...this.sessions.values()].map((doc) => withoutId<object>(doc));
    if (this.sessions.damaged || !records.every(isSessionRecord)) return 'damaged';
    return records;
  }

  /** Forgets every session, readable or not. */
  async clearSessions(): Promise<void> {
    await this.sessions.write([], [...this.sessions.values()].map((doc) => doc._id));
  }

  /**
   * The stored credentials; null when there are none, 'unreadable' when the newest record of
   * them may be a line that could not be read (an older password must not come back).
   */
  async loadCredentials(): Promise<StoredCredentials | null | 'unreadable'> {
    if (this.settings.mayHideNewer(CREDENTIALS_ID)) return 'unreadable';
    const doc = this.settings.get(CREDENTIALS_ID);
    if (doc === undefined) return null;
    const credentials = withoutId<object>(doc);
    return isCredentials(credentials) ? credentials : 'unreadable';
  }

  async saveCredentials(credentials: StoredCredentials): Promise<void> {
    await this.settings.write([{ _id: CREDENTIALS_ID, ...credentials }]);
  }

  /** The bridges' settings as the operator saved them; unchecked (the caller validates). */
  async loadBridgeSettings(): Promise<unknown> {
    const doc = this.settings.get(BRIDGES_ID);
    return doc ? withoutId(doc) : null;
  }

  async saveBridgeSettings(settings: BridgeSettings): Promise<void> {
    await this.settings.write([{ _id: BRIDGES_ID, ...settings }]);
  }

  /** The listen address (bind host and port) the operator saved for the next start; unchecked (the caller validates). */
  async loadListenSettings(): Promise<unknown> {
    const doc = this.settings.get(LISTEN_ID);
    return doc ? withoutId(doc) : null;
  }

  async saveListenSettings(settings: ListenSettings): Promise<void> {
    await this.settings.write([{ _id: LISTEN_ID, ...settings }]);
  }

  /** The public relay's settings, secrets included (the station must send them); unchecked (the caller validates). */
  async loadRelaySettings(): Promise<unknown> {
    const doc = this.settings.get(RELAY_ID);
    return doc ? withoutId(doc) : null;
  }

  async saveRelaySettings(settings: RelaySettings): Promise<void> {
    await this.settings.write([{ _id: RELAY_ID, ...settings }]);
  }

  /** The station settings (callsign, locator, what callers see, sounds, no-show rule); unchecked (the caller validates). */
  async loadStationSettings(): Promise<unknown> {
    const doc = this.settings.get(STATION_ID);
    return doc ? withoutId(doc) : null;
  }

  async saveStationSettings(settings: StationSettings): Promise<void> {
    await this.settings.write([{ _id: STATION_ID, ...settings }]);
  }

  stats(): StoreStats {
    return Object.fromEntries([this.log, this.state, this.sessions, this.settings].map((file) => [file.name, file.stats]));
  }

  /** Rewrites every file to one line per document, each the crash-safe way. */
  async compact(): Promise<void> {
    await Promise.all([this.log, this.state, this.sessions, this.settings].map((file) => file.compact()));
  }

  /**
   * Compacts once more, closes every file and releases the folder; the store is not used after
   * this. A compaction that fails (a full disk) leaves that file as it was appended, which
   * loads the same; the failure is reported once everything is closed.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      clearInterval(this.compactionTimer);
      this.health.stop();
      const files = [this.log, this.state, this.sessions, this.settings];
      const outcomes = await Promise.allSettled(files.map((file) => file.compact().finally(() => file.close())));
      await this.lock.release();
      const failed = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
      if (failed) throw failed.reason;
    })();
    return this.closing;
  }
}
