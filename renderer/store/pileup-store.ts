/**
 * The renderer's one store. It is fed by a Bridge: a snapshot on every (re)connect, then the
 * server's broadcasts. Actions send protocol requests and report refusals in plain words; they
 * never change the pileup themselves — the broadcast that follows a change does, so this page,
 * other consoles and logging software all see the same thing.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { normalizeCallsign } from '../../server/protocol/callsign.js';
import type { BridgeSettings, BridgeStatus } from '../../server/protocol/bridges.js';
import type { ListenSettings, ListenSnapshot } from '../../server/protocol/listen.js';
import type { RelaySettingsChanges, RelaySnapshot, RelayStatus } from '../../server/protocol/relay.js';
import type { Controls, LogEntry, RegistrationRules } from '../../server/protocol/replies.js';
import type { AppInfo, Bridge, BridgeEvent, ConnectionState, IpcReply } from '../bridge/bridge.js';
import type { TypedRequest } from '../bridge/requests.js';
import { describeError, describeFailure } from './error-text.js';
import { applyBroadcast, emptySnapshot, fetchSnapshot, type PileupSnapshot } from './pileup-state.js';
import { RATE_SAMPLE, rememberEnd } from '../../server/protocol/wait-estimate.js';

export const LOG_PAGE_SIZE = 50;

/** `trusted`: the Electron window, no login; otherwise whether this browser holds a session. */
export type SessionState = 'trusted' | 'logged-out' | 'logged-in';

export interface Notice {
  id: number;
  tone: 'error' | 'info';
  text: string;
}

export interface LogView {
  offset: number;
  total: number;
  entries: LogEntry[];
  loading: boolean;
}

export type RegisterOutcome =
  | { ok: true; callsign: string; position: number; total: number; estimatedWaitS: number | null }
  | { ok: false; message: string };

export interface BridgesSnapshot {
  settings: BridgeSettings;
  bridges: BridgeStatus[];
}

export interface AdifExport {
  fileName: string;
  text: string;
  count: number;
}

export interface PileupActions {
  /** Resolves with a plain-words error, or null once logged in. */
  login(username: string, password: string): Promise<string | null>;
  logout(): Promise<void>;
  register(callsign: string): Promise<RegisterOutcome>;
  toggleSystem(active?: boolean): Promise<boolean>;
  workNext(): Promise<boolean>;
  completeQso(): Promise<boolean>;
  cancelQso(): Promise<boolean>;
  workSpecific(callsign: string): Promise<boolean>;
  removeCallsign(callsign: string): Promise<boolean>;
  clearQueue(): Promise<boolean>;
  setFrequency(frequency: string, mode: string): Promise<boolean>;
  clearFrequency(): Promise<boolean>;
  setSplit(split: string): Promise<boolean>;
  clearSplit(): Promise<boolean>;
  setMaxQueueSize(size: number): Promise<boolean>;
  setCredentials(username: string, password: string): Promise<boolean>;
  /** The logger bridges' settings and state, or null when they could not be read. */
  loadBridges(): Promise<BridgesSnapshot | null>;
  setBridges(changes: Partial<BridgeSettings>): Promise<boolean>;
  /** The stored listen address and the one in use, or null when they could not be read. */
  loadListen(): Promise<ListenSnapshot | null>;
  /** Stores the listen address for the next start (a notice says so); the snapshot, or null when refused. */
  setListen(settings: ListenSettings): Promise<ListenSnapshot | null>;
  /** The public relay's settings (no secrets) and state, or null when they could not be read. */
  loadRelay(): Promise<RelaySnapshot | null>;
  /** Stores relay settings (the link starts again with them); the snapshot, or null when refused. */
  setRelay(changes: RelaySettingsChanges): Promise<RelaySnapshot | null>;
  /** Pause, rules and the ban list, or null when they could not be read. */
  loadControls(): Promise<Controls | null>;
  setRegistrationPaused(paused: boolean): Promise<boolean>;
  banCallsign(callsign: string, reason?: string): Promise<boolean>;
  unbanCallsign(callsign: string): Promise<boolean>;
  setRegistrationRules(rules: Partial<RegistrationRules>): Promise<boolean>;
  loadLog(offset: number): Promise<void>;
  /** The whole log, oldest first, as ADIF; null when it could not be read (a notice says why). */
  exportLog(): Promise<AdifExport | null>;
  /** Adds an ADIF file's QSOs to the log; a notice says how many (or why not). True on success. */
  importAdif(text: string): Promise<boolean>;
  dismissNotice(): void;
}

export interface PileupState {
  connection: ConnectionState;
  session: SessionState;
  /** False until the first snapshot arrived: the page shows "loading", not an empty pileup. */
  synced: boolean;
  pileup: PileupSnapshot;
  info: AppInfo | null;
  clients: number | null;
  /** The public relay's state (operator pages only; null until read). */
  relay: RelayStatus | null;
  /** End times (ms) of the most recent QSOs, oldest first: the QSO rate for wait estimates. */
  recentEnds: number[];
  log: LogView;
  exporting: { done: number; total: number } | null;
  /** An ADIF import is on its way to the server. */
  importing: boolean;
  notice: Notice | null;
  actions: PileupActions;
}

export type PileupStore = StoreApi<PileupState> & { dispose(): void };

/** A request the server refused; `message` is already in plain words. */
class Refused extends Error {}

interface LogPage {
  total: number;
  offset: number;
  entries: LogEntry[];
}

interface Registered {
  callsign: string;
  position: number;
  total_queue: number;
  estimated_wait_s?: number;
}

function initialSession(bridge: Bridge): SessionState {
  if (bridge.session === undefined) return 'trusted';
  return bridge.session.loggedIn ? 'logged-in' : 'logged-out';
}

export interface PileupStoreOptions {
  /** Poll the server's connection count this often (the console header); off when absent. */
  clientsPollMs?: number;
}

export function createPileupStore(bridge: Bridge, options: PileupStoreOptions = {}): PileupStore {
  let noticeId = 0;
  let logRequest = 0;
  const inFlight = new Set<string>();

  const store = createStore<PileupState>()((set, get) => {
    const notify = (tone: Notice['tone'], text: string) => set({ notice: { id: ++noticeId, tone, text } });

    /** The reply's `data` when the server said yes; otherwise throws Refused in plain words. */
    async function call<T>(request: TypedRequest): Promise<T> {
      let reply: IpcReply;
      try {
        reply = await bridge.request(request);
      } catch (error) {
        throw new Refused(describeFailure(error));
      }
      if (reply.type === 'error') throw new Refused(describeError(reply));
      if (reply.type !== 'success') throw new Refused('The server gave an unexpected answer. Please try again.');
      return (reply.data ?? {}) as T;
    }

    /**
     * An operator command. A second press while the first is on its way is ignored: a doubled
     * "work next" would silently skip a station.
     */
    async function command(key: string, request: TypedRequest, done?: (data: Record<string, unknown>) => string): Promise<boolean> {
      if (inFlight.has(key)) return false;
      inFlight.add(key);
      try {
        const data = await call<Record<string, unknown>>(request);
        if (done) notify('info', done(data));
        return true;
      } catch (error) {
        notify('error', error instanceof Refused ? error.message : describeFailure(error));
        return false;
      } finally {
        inFlight.delete(key);
      }
    }

    const actions: PileupActions = {
      async login(username, password) {
        if (bridge.session === undefined) return null;
        try {
          const reply = await bridge.session.login(username, password);
          return reply.type === 'error' ? describeError(reply) : null;
        } catch (error) {
          return describeFailure(error);
        }
      },

      async logout() {
        await bridge.session?.logout();
      },

      async register(raw) {
        const callsign = normalizeCallsign(raw);
        if (callsign === null) {
          const typed = raw.trim().toUpperCase();
          const shown = typed === '' ? 'Please enter your callsign.' : `"${typed}" is not a valid callsign.`;
          return { ok: false, message: `${shown} Use a form like EA1ABC, W1AW or EA8/DL1ABC/P.` };
        }
        try {
          const data = await call<Registered>({ type: 'register_callsign', callsign });
          return {
            ok: true,
            callsign: data.callsign,
            position: data.position,
            total: data.total_queue,
            estimatedWaitS: data.estimated_wait_s ?? null,
          };
        } catch (error) {
          return { ok: false, message: error instanceof Refused ? error.message : describeFailure(error) };
        }
      },

      toggleSystem: (active) =>
        command('toggle', { type: 'admin_toggle_system', ...(active !== undefined && { active }) }),
      workNext: () => command('work', { type: 'admin_work_next' }),
      completeQso: () => command('complete', { type: 'admin_complete_qso' }),
      cancelQso: () => command('cancel', { type: 'admin_cancel_qso' }),
      workSpecific: (callsign) => command('work', { type: 'admin_work_specific', callsign }),
      removeCallsign: (callsign) => command(`remove:${callsign}`, { type: 'admin_remove_callsign', callsign }),
      clearQueue: () =>
        command('clear', { type: 'admin_clear_queue' }, (data) => `Queue cleared (${String(data.cleared_count)} removed).`),
      setFrequency: (frequency, mode) =>
        command('frequency', {
          type: 'admin_set_frequency',
          frequency: frequency.trim(),
          ...(mode.trim() !== '' && { mode: mode.trim() }),
        }),
      clearFrequency: () => command('frequency', { type: 'admin_clear_frequency' }),
      setSplit: (split) => command('split', { type: 'admin_set_split', split: split.trim() }),
      clearSplit: () => command('split', { type: 'admin_clear_split' }),
      setMaxQueueSize: (size) =>
        command('max', { type: 'admin_set_max_queue_size', max_queue_size: size }, () => `Queue size set to ${size}.`),

      async setCredentials(username, password) {
        const changed = await command('credentials', { type: 'admin_set_credentials', username, password }, () =>
          bridge.session === undefined
            ? 'Credentials changed. Browsers and logging software must log in again.'
            : 'Credentials changed. Every session has ended: log in with the new ones.',
        );
        // The server has revoked our own token too; forget it rather than wait for a refusal.
        if (changed) await bridge.session?.logout();
        return changed;
      },

      async loadBridges() {
        return call<BridgesSnapshot>({ type: 'admin_get_bridges' }).catch(() => null);
      },

      setBridges: (changes) => command('bridges', { type: 'admin_set_bridges', ...changes }),

      async loadListen() {
        return call<ListenSnapshot>({ type: 'admin_get_listen' }).catch(() => null);
      },

      async setListen({ host, port }) {
        let saved: ListenSnapshot | null = null;
        await command('listen', { type: 'admin_set_listen', host, port }, (data) => {
          saved = data as unknown as ListenSnapshot;
          return 'Saved: applies after restart.';
        });
        return saved;
      },

      async loadRelay() {
        const snapshot = await call<Partial<RelaySnapshot>>({ type: 'admin_get_relay' }).catch(() => null);
        // An older server (or a test bridge) may answer without the fields.
        if (snapshot?.settings === undefined || snapshot.status === undefined || snapshot.overridden === undefined) return null;
        set({ relay: snapshot.status });
        return snapshot as RelaySnapshot;
      },

      async setRelay(changes) {
        let saved: RelaySnapshot | null = null;
        await command('relay', { type: 'admin_set_relay', ...changes }, (data) => {
          saved = data as unknown as RelaySnapshot;
          return 'Relay settings saved.';
        });
        if (saved !== null) set({ relay: (saved as RelaySnapshot).status });
        return saved;
      },

      async loadControls() {
        return call<Controls>({ type: 'admin_get_controls' }).catch(() => null);
      },
      setRegistrationPaused: (paused) =>
        command('pause', { type: paused ? 'admin_pause_registration' : 'admin_resume_registration' }),
      banCallsign: (callsign, reason) =>
        command(
          `ban:${callsign}`,
          { type: 'admin_ban_callsign', callsign, ...(reason !== undefined && reason.trim() !== '' && { reason: reason.trim() }) },
          () => `${callsign} is banned from registering.`,
        ),
      unbanCallsign: (callsign) =>
        command(`ban:${callsign}`, { type: 'admin_unban_callsign', callsign }, () => `${callsign} may register again.`),
      setRegistrationRules: (rules) =>
        command('rules', { type: 'admin_set_registration_rules', ...rules }, () => 'Registration rules saved.'),

      async loadLog(offset) {
        const request = ++logRequest;
        set((state) => ({ log: { ...state.log, offset, loading: true } }));
        try {
          const page = await call<LogPage>({ type: 'admin_get_log', offset, limit: LOG_PAGE_SIZE });
          // Pages asked for later win: a slow answer must not replace the page now shown.
          if (request === logRequest) set({ log: { offset: page.offset, total: page.total, entries: page.entries, loading: false } });
        } catch (error) {
          if (request !== logRequest) return;
          set((state) => ({ log: { ...state.log, loading: false } }));
          if (error instanceof Refused) notify('error', `The log could not be read: ${error.message}`);
        }
      },

      async exportLog() {
        if (get().exporting !== null) return null;
        set({ exporting: { done: 0, total: get().log.total } });
        try {
          // The server writes the file with its ADIF library: one consistent snapshot of the log.
          const file = await call<{ file_name: string; adif: string; count: number }>({ type: 'admin_export_adif' });
          return { fileName: file.file_name, text: file.adif, count: file.count };
        } catch (error) {
          notify('error', `The log could not be exported: ${error instanceof Refused ? error.message : describeFailure(error)}`);
          return null;
        } finally {
          set({ exporting: null });
        }
      },

      async importAdif(text) {
        if (get().importing) return false;
        set({ importing: true });
        try {
          let reply: IpcReply;
          try {
            // Not `call`: the browser's bridge POSTs the file, since a WebSocket frame is too small.
            reply = await bridge.importAdif(text);
          } catch (error) {
            throw new Refused(describeFailure(error));
          }
          if (reply.type === 'error') throw new Refused(describeError(reply));
          if (reply.type !== 'success') throw new Refused('The server gave an unexpected answer. Please try again.');
          const { imported, skipped } = (reply.data ?? {}) as { imported?: number; skipped?: number };
          const qsos = (n: number) => `${n.toLocaleString('en')} QSO${n === 1 ? '' : 's'}`;
          const left = skipped ? ` ${qsos(skipped)} skipped (no usable callsign, date or time).` : '';
          notify('info', `Imported ${qsos(imported ?? 0)} into the log.${left}`);
          // The log changed: show the page afresh (its total and, maybe, its rows).
          await get().actions.loadLog(get().log.offset);
          return true;
        } catch (error) {
          notify('error', `The ADIF file could not be imported: ${error instanceof Refused ? error.message : describeFailure(error)}`);
          return false;
        } finally {
          set({ importing: false });
        }
      },

      dismissNotice: () => set({ notice: null }),
    };

    return {
      connection: bridge.connection,
      session: initialSession(bridge),
      synced: false,
      pileup: emptySnapshot,
      info: null,
      clients: null,
      relay: null,
      recentEnds: [],
      log: { offset: 0, total: 0, entries: [], loading: false },
      exporting: null,
      importing: false,
      notice: null,
      actions,
    };
  });

  const { getState, setState } = store;
  const operator = () => getState().session !== 'logged-out';

  async function loadRecentEnds(): Promise<void> {
    const reply = await bridge.request({ type: 'admin_get_log', offset: 0, limit: RATE_SAMPLE }).catch(() => null);
    if (reply?.type !== 'success') return;
    const { entries } = reply.data as unknown as LogPage;
    setState({ recentEnds: entries.map((entry) => Date.parse(entry.ended_at)).reverse() });
  }

  function loadOperatorData(): void {
    void getState().actions.loadLog(getState().log.offset);
    void loadRecentEnds();
    void getState().actions.loadRelay();
  }

  async function refreshClients(): Promise<void> {
    if (options.clientsPollMs === undefined || bridge.connectedClients === undefined) return;
    if (getState().connection.status !== 'online') return;
    const clients = await bridge.connectedClients().catch(() => null);
    setState({ clients });
  }

  /** Broadcasts sent while we were away are lost: start again from the server's state. */
  async function resync(): Promise<void> {
    const [snapshot, info] = await Promise.all([fetchSnapshot(bridge), bridge.info().catch(() => null)]);
    if (info !== null) setState({ info });
    if (snapshot !== null) setState({ pileup: snapshot, synced: true });
    void refreshClients();
    if (operator()) loadOperatorData();
  }

  function onEvent(event: BridgeEvent): void {
    switch (event.kind) {
      case 'connection':
        setState({ connection: event.state });
        if (event.state.status === 'online') void resync();
        return;
      case 'resync':
        void resync();
        return;
      case 'session':
        setState({ session: event.loggedIn ? 'logged-in' : 'logged-out' });
        if (event.loggedIn) {
          loadOperatorData();
          void bridge.info().then((info) => setState({ info }), () => undefined);
        } else {
          setState({ log: { offset: 0, total: 0, entries: [], loading: false }, recentEnds: [], relay: null });
        }
        return;
      case 'broadcast': {
        const { message } = event;
        if (message.type === 'relay_update') {
          setState({ relay: message.data });
          return;
        }
        setState((state) => ({ pileup: applyBroadcast(state.pileup, message) }));
        // Dupe marks depend on the band and mode: a new frequency re-reads them with the queue.
        if (message.type === 'frequency_update') void resync();
        if (message.type !== 'qso_update' || !operator()) return;
        if (message.data.change_type === 'qso_completed' && message.data.ended_at !== undefined) {
          const end = Date.parse(message.data.ended_at);
          setState((state) => ({ recentEnds: rememberEnd(state.recentEnds, end) }));
        }
        // Completing, sending or cancelling a QSO may change the log: show the page afresh.
        void getState().actions.loadLog(getState().log.offset);
        return;
      }
    }
  }

  const unsubscribe = bridge.subscribe(onEvent);
  if (bridge.connection.status === 'online') void resync();
  const poll = options.clientsPollMs === undefined ? undefined : setInterval(() => void refreshClients(), options.clientsPollMs);

  return Object.assign(store, {
    dispose() {
      clearInterval(poll);
      unsubscribe();
    },
  });
}
