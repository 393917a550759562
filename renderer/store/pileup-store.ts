/**
 * The renderer's one store, in slices (session, operating, log, settings; renderer/store/slices).
 * It is fed by a ServerLink: a snapshot on every (re)connect, then the server's broadcasts.
 * Actions send protocol requests and report refusals in plain words; they never change the
 * pileup themselves — the broadcast that follows a change does, so this page, other consoles
 * and logging software all see the same thing.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { StorageStatus } from '../../server/protocol/storage.js';
import { rememberEnd } from '../../server/protocol/wait-estimate.js';
import type { AppInfo, Broadcast, ConnectionState, LinkEvent, ServerLink } from '../transport/server-link.js';
import { RECENT_QSOS_LIMIT } from '../../server/protocol/rules.js';
import { applyBroadcast, emptySnapshot, fetchSnapshot, type PileupSnapshot } from './pileup-state.js';
import { createRequester, type NoticeAction, type Notify } from './requests.js';
import type { SliceContext } from './slices/context.js';
import { emptyLog, initialLogState, logActions, type LogActions, type LogState } from './slices/log.js';
import { operatingActions, type OperatingActions } from './slices/operating.js';
import { sessionActions, type SessionActions, type SessionState } from './slices/session.js';
import { settingsActions, type SettingsActions, type SettingsState } from './slices/settings.js';
import {
  initialStationState,
  recentFromBroadcast,
  stationActions,
  type StationActions,
  type StationState,
} from './slices/station.js';

export { LOG_PAGE_SIZE, type AdifExport, type LogView } from './slices/log.js';
export type { Refusal, RegisterOutcome, SessionState } from './slices/session.js';
export type { LogSearchOutcome } from './slices/station.js';

export interface Notice {
  id: number;
  tone: 'error' | 'info';
  text: string;
  action?: NoticeAction;
}

export type PileupActions = SessionActions &
  OperatingActions &
  LogActions &
  SettingsActions &
  StationActions & {
    dismissNotice(): void;
  };

export interface PileupState extends LogState, SettingsState, StationState {
  connection: ConnectionState;
  session: SessionState;
  /** False until the first snapshot arrived: the page shows "loading", not an empty pileup. */
  synced: boolean;
  pileup: PileupSnapshot;
  info: AppInfo | null;
  clients: number | null;
  /** End times (ms) of the most recent QSOs, oldest first: the QSO rate for wait estimates. */
  recentEnds: number[];
  /** The last `queue_update` heard (the console's sounds tell a registration from other changes). */
  queueChange: { id: number; change_type: string; total: number; max_size: number } | null;
  /** Whether the server can write its data files (operator only; null until known). */
  storage: StorageStatus | null;
  notice: Notice | null;
  actions: PileupActions;
}

export type PileupStore = StoreApi<PileupState> & { dispose(): void };

/** How many recent QSOs a page keeps: the most a caller may ask for. */
const RECENT_KEPT = RECENT_QSOS_LIMIT.max;

function initialSession(link: ServerLink): SessionState {
  if (link.session === undefined) return 'trusted';
  return link.session.loggedIn ? 'logged-in' : 'logged-out';
}

export interface PileupStoreOptions {
  /** Poll the server's connection count this often (the console header); off when absent. */
  clientsPollMs?: number;
}

export function createPileupStore(link: ServerLink, options: PileupStoreOptions = {}): PileupStore {
  let noticeId = 0;

  const store = createStore<PileupState>()((set, get) => {
    const notify: Notify = (tone, text, action) => set({ notice: { id: ++noticeId, tone, text, ...(action && { action }) } });
    const context: SliceContext = { link, requests: createRequester(link, notify), notify, set, get };
    return {
      connection: link.connection,
      session: initialSession(link),
      synced: false,
      pileup: emptySnapshot,
      info: null,
      clients: null,
      recentEnds: [],
      queueChange: null,
      storage: null,
      notice: null,
      bridges: null,
      relay: null,
      ...initialLogState(),
      ...initialStationState(),
      actions: {
        ...sessionActions(context),
        ...operatingActions(context),
        ...logActions(context),
        ...settingsActions(context),
        ...stationActions(context),
        dismissNotice: () => set({ notice: null }),
      },
    };
  });

  const { getState, setState } = store;
  const operator = () => getState().session !== 'logged-out';

  /** The operator's view of the QSO rate (the most recent QSO end times) and of the data files. */
  async function loadOperatorStatus(): Promise<void> {
    const reply = await link.request({ type: 'admin_get_status' }).catch(() => null);
    if (reply?.type !== 'success') return;
    setState({ recentEnds: reply.data.recent_qso_ends.map((end) => Date.parse(end)).reverse(), storage: reply.data.storage });
  }

  function loadOperatorData(): void {
    void getState().actions.loadLog(getState().log.offset);
    void getState().actions.loadStation();
    // The sounds follow the bridges' state from the start, not only once Settings is opened.
    void getState().actions.loadBridges();
    void loadOperatorStatus();
    void getState().actions.loadRelay();
  }

  async function refreshClients(): Promise<void> {
    if (options.clientsPollMs === undefined || link.connectedClients === undefined) return;
    if (getState().connection.status !== 'online') return;
    const clients = await link.connectedClients().catch(() => null);
    setState({ clients });
  }

  /** Broadcasts sent while we were away are lost: start again from the server's state. */
  async function resync(): Promise<void> {
    const [snapshot, info] = await Promise.all([fetchSnapshot(link), link.info().catch(() => null)]);
    if (info !== null) setState({ info });
    if (snapshot !== null) setState({ pileup: snapshot, synced: true });
    void getState().actions.loadRecent();
    void refreshClients();
    if (operator()) loadOperatorData();
  }

  function onEvent(event: LinkEvent): void {
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
          void link.info().then((info) => setState({ info }), () => undefined);
        } else {
          setState({ log: emptyLog, recentEnds: [], bridges: null, relay: null, station: null, stats: null, storage: null });
        }
        return;
      case 'broadcast': {
        const { message } = event;
        if (message.type === 'bridges_update') {
          setState({ bridges: message.data });
          return;
        }
        if (message.type === 'relay_update') {
          setState({ relay: message.data });
          return;
        }
        if (message.type === 'storage_update') {
          setState({ storage: message.data });
          return;
        }
        setState((state) => ({ pileup: applyBroadcast(state.pileup, message) }));
        if (message.type === 'queue_update') {
          const { change_type, total, max_size } = message.data;
          setState((state) => ({ queueChange: { id: (state.queueChange?.id ?? 0) + 1, change_type, total, max_size } }));
        }
        // Dupe marks depend on the band and mode, bearings on the station's locator: re-read the queue.
        if (message.type === 'frequency_update' || message.type === 'station_update') void resync();
        if (message.type === 'qso_update' && message.data.change_type === 'qso_completed') addRecent(message);
        if (message.type === 'station_update' && operator()) void getState().actions.loadStation();
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

  function addRecent(message: Extract<Broadcast, { type: 'qso_update' }>): void {
    setState((state) => {
      if (!state.recent.shown || state.recent.qsos.some((qso) => qso.qso_id === message.data.qso_id)) return {};
      const showTimes = operator() || state.pileup.station.worked_times;
      const qsos = [recentFromBroadcast(message, showTimes), ...state.recent.qsos].slice(0, RECENT_KEPT);
      return { recent: { shown: true, qsos } };
    });
  }

  const unsubscribe = link.subscribe(onEvent);
  if (link.connection.status === 'online') void resync();
  const poll = options.clientsPollMs === undefined ? undefined : setInterval(() => void refreshClients(), options.clientsPollMs);

  return Object.assign(store, {
    dispose() {
      clearInterval(poll);
      unsubscribe();
    },
  });
}
