/**
 * The data directory: four NeDB collections.
 * - `state.db`: the pileup state as one document, so every change is a single appended line —
 *   the simplest crash-safe shape.
 * - `log.db`: every QSO, keyed by its `qso_id` so that logging it twice is impossible; kept by
 *   `LogFile` (server/log), which loads 100,000 QSOs far faster than NeDB and pages without sorting.
 * - `sessions.db`: hashed session tokens with their expiry.
 * - `settings.db`: stored credentials (hash only) and other settings (the relay's secrets in
 *   clear: the station has to send them to the NATS server).
 *
 * Every write resolves only once NeDB has appended it to the file, so what the core acknowledged
 * is on disk and survives the process being killed.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { LogFile } from './log-file.js';
import type { BridgeSettings } from '../protocol/bridges.js';
import type { ListenSettings } from '../protocol/listen.js';
import type { StationSettings } from '../protocol/station.js';
import type { PersistedState, PileupStorage } from '../core/storage.js';
import type { RelaySettings } from '../protocol/relay.js';
import { type Collection, openCollection, type SkippedLine, underlying } from './collection.js';

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

const STATE_ID = 'pileup';
const CREDENTIALS_ID = 'credentials';
const BRIDGES_ID = 'bridges';
const LISTEN_ID = 'listen';
const RELAY_ID = 'relay';
const STATION_ID = 'station';
const COMPACTION_INTERVAL_MS = 10 * 60 * 1000;

type Doc<T> = T & { _id: string };

function withoutId<T extends object>(doc: Doc<T>): T {
  const { _id: _ignored, ...rest } = doc;
  return rest as unknown as T;
}

export class PileupStore implements PileupStorage {
  private constructor(
    readonly dataDir: string,
    private readonly state: Collection,
    readonly log: LogFile,
    private readonly sessions: Collection,
    private readonly settings: Collection,
    readonly report: OpenReport,
  ) {}

  static async open(dataDir: string, now: () => number = Date.now): Promise<PileupStore> {
    await mkdir(dataDir, { recursive: true });
    const names = ['state', 'sessions', 'settings'] as const;
    const [openedLog, ...opened] = await Promise.all([
      LogFile.open(path.join(dataDir, 'log.db'), now),
      ...names.map((name) => openCollection(path.join(dataDir, `${name}.db`), now)),
    ]);
    const all = [openedLog, ...opened];
    const report: OpenReport = {
      skipped: all.flatMap((o) => o.skipped),
      backups: all.flatMap((o) => (o.backup ? [o.backup] : [])),
    };
    const [state, sessions, settings] = opened.map((o) => o.collection) as [Collection, Collection, Collection];
    for (const collection of [state, sessions, settings]) {
      underlying(collection).setAutocompactionInterval(COMPACTION_INTERVAL_MS);
    }
    openedLog.log.setCompactionInterval(COMPACTION_INTERVAL_MS);
    return new PileupStore(dataDir, state, openedLog.log, sessions, settings, report);
  }

  async loadState(): Promise<PersistedState | null> {
    const doc = await this.state.findOne<PersistedState>({ _id: STATE_ID });
    return doc ? withoutId(doc) : null;
  }

  async saveState(state: PersistedState): Promise<void> {
    await this.state.update({ _id: STATE_ID }, { _id: STATE_ID, ...state }, { upsert: true });
  }

  async putSession(session: SessionRecord): Promise<void> {
    await this.sessions.update({ _id: session.token_hash }, { _id: session.token_hash, ...session }, { upsert: true });
  }

  async deleteSessions(tokenHashes: string[]): Promise<void> {
    if (tokenHashes.length === 0) return;
    await this.sessions.remove({ _id: { $in: tokenHashes } }, { multi: true });
  }

  async loadSessions(): Promise<SessionRecord[]> {
    const docs = await this.sessions.find<SessionRecord>({});
    return docs.map((doc) => withoutId(doc));
  }

  async loadCredentials(): Promise<StoredCredentials | null> {
    const doc = await this.settings.findOne<StoredCredentials>({ _id: CREDENTIALS_ID });
    return doc ? withoutId(doc) : null;
  }

  async saveCredentials(credentials: StoredCredentials): Promise<void> {
    await this.settings.update({ _id: CREDENTIALS_ID }, { _id: CREDENTIALS_ID, ...credentials }, { upsert: true });
  }

  /** The bridges' settings as the operator saved them; unchecked (the caller validates). */
  async loadBridgeSettings(): Promise<unknown> {
    const doc = await this.settings.findOne<Record<string, unknown>>({ _id: BRIDGES_ID });
    return doc ? withoutId(doc) : null;
  }

  async saveBridgeSettings(settings: BridgeSettings): Promise<void> {
    await this.settings.update({ _id: BRIDGES_ID }, { _id: BRIDGES_ID, ...settings }, { upsert: true });
  }

  /** The listen address (bind host and port) the operator saved for the next start; unchecked (the caller validates). */
  async loadListenSettings(): Promise<unknown> {
    const doc = await this.settings.findOne<Record<string, unknown>>({ _id: LISTEN_ID });
    return doc ? withoutId(doc) : null;
  }

  async saveListenSettings(settings: ListenSettings): Promise<void> {
    await this.settings.update({ _id: LISTEN_ID }, { _id: LISTEN_ID, ...settings }, { upsert: true });
  }

  /** The public relay's settings, secrets included (the station must send them); unchecked (the caller validates). */
  async loadRelaySettings(): Promise<unknown> {
    const doc = await this.settings.findOne<Record<string, unknown>>({ _id: RELAY_ID });
    return doc ? withoutId(doc) : null;
  }

  async saveRelaySettings(settings: RelaySettings): Promise<void> {
    await this.settings.update({ _id: RELAY_ID }, { _id: RELAY_ID, ...settings }, { upsert: true });
  }

  /** The station settings (callsign, locator, what callers see, sounds, no-show rule); unchecked (the caller validates). */
  async loadStationSettings(): Promise<unknown> {
    const doc = await this.settings.findOne<Record<string, unknown>>({ _id: STATION_ID });
    return doc ? withoutId(doc) : null;
  }

  async saveStationSettings(settings: StationSettings): Promise<void> {
    await this.settings.update({ _id: STATION_ID }, { _id: STATION_ID, ...settings }, { upsert: true });
  }

  /** Rewrites every file to one line per document; NeDB writes a temp file and renames it. */
  async compact(): Promise<void> {
    await Promise.all([
      this.log.compact(),
      ...[this.state, this.sessions, this.settings].map((c) => underlying(c).compactDatafileAsync()),
    ]);
  }

  /** Stops the compaction timers and compacts once more; the store is not used after this. */
  async close(): Promise<void> {
    for (const collection of [this.state, this.sessions, this.settings]) {
      underlying(collection).stopAutocompaction();
    }
    await Promise.all([
      this.log.close(),
      ...[this.state, this.sessions, this.settings].map((c) => underlying(c).compactDatafileAsync()),
    ]);
  }
}
