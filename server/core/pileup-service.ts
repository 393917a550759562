/**
 * PileupService: the one state machine of Pileup Buster. It owns the system flag, the FIFO
 * queue, the current QSO, frequency/mode/split and the queue capacity. Every command validates,
 * mutates a copy, persists it, and only then commits the copy, emits its broadcasts and returns.
 * A refused command (a ProtocolError) changes nothing. Commands run one at a time.
 *
 * Group commit: persisting waits for the disk to sync, so commands that arrive meanwhile are
 * not persisted one by one. The next batch runs them one after another, each on the state the
 * one before it left, and stores the batch's outcome in one commit (one sync per file); then
 * every command of the batch is answered and broadcast, in order — or, if the commit failed,
 * refused, with nothing changed. Reads always see committed state only. A command that changes
 * the log ends its batch, because the commands after it may read the log (dupes, the
 * worked-recently rule, the wait estimate).
 *
 * It knows nothing about WebSocket, IPC, Electron or React: those are adapters on this API.
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { bandOf } from '../ham/band.js';
import { countryFields } from '../ham/country.js';
import type { LatLon } from '../ham/geo.js';
import { toLogEntry } from '../ham/log-entry.js';
import { normalizeMode } from '../ham/mode.js';
import { locatorPosition, positionFields } from '../ham/position.js';
import { normalizeCallsign } from '../protocol/callsign.js';
import { normalizeLocator } from '../protocol/locator.js';
import { DEFAULT_STATION, publicStation, type StationSettings } from '../protocol/station.js';
import { ErrorCode, ProtocolError } from '../protocol/errors.js';
import { summarize } from '../protocol/summary.js';
import { isSaneTimestamp, TIMESTAMP_RANGE_PROBLEM } from '../protocol/timestamp.js';
import type { Broadcast, ControlsChangeType, QsoChangeType, QueueChangeType } from '../protocol/broadcasts.js';
import type { Controls, CurrentQso, LogEntry, LoggedQso, QueueEntry, RegistrationRules, Status } from '../protocol/entities.js';
import { BROADCAST_QUEUE_LIMIT, registrationOpen } from '../protocol/rules.js';
import { DEFAULTS } from '../config/defaults.js';
import { firstDefined } from '../config/precedence.js';
import type { ReplyData } from '../protocol/reply-data.js';
import { secondsPerQso } from '../protocol/wait-estimate.js';
import { SerialQueue } from '../async/serial-queue.js';
import { type Clock, isoAt, type MonotonicClock, systemClock, systemMonotonicClock } from '../time/clock.js';
import {
  banCovers,
  defaultControls,
  MAX_BANS,
  type RegistrationAdmission,
  refuseIfBanned,
  refuseIfPaused,
  refuseIfWorkedRecently,
  RegistrationRateLimiter,
  withDefaultControls,
} from './abuse-controls.js';
import { BanUndo } from './ban-undo.js';
import { logSearch, recentQso } from './public-log.js';
import { publicQueue, PublicQueueView, type ViewContext } from './public-queue.js';
import { QsoLog } from './qso-log.js';
import { RegistrationTimes, statistics, type Statistics } from './statistics.js';
import type { PersistedQso, PersistedQueueEntry, PersistedState, PileupStorage } from './storage.js';

export interface ServiceEvents {
  broadcast: [Broadcast];
}

export interface QsoDetails {
  frequency?: string;
  mode?: string;
  rst_sent?: string;
  rst_received?: string;
  /** The caller's Maidenhead locator (WSJT-X reports it); an invalid one is ignored. */
  locator?: string;
}

/** Where a QSO sent by logging software came from: a bridge names itself and keeps the logger's own id. */
export interface QsoOrigin {
  source?: string;
  /** Reuses this log entry id, so the logger can later replace or delete the entry. */
  qsoId?: string;
}

/** Where a registration came from. */
export interface RegistrationSource {
  /** For the per-address rate limit; the trusted local console is 'local'. */
  address?: string;
  /** The caller's Maidenhead locator, when they gave one (bearings, the map). */
  locator?: string | undefined;
  /** Replaces the per-address limit (the relay's own limits). */
  admit?: RegistrationAdmission | undefined;
}

export interface PileupServiceOptions {
  store: PileupStorage;
  clock?: Clock;
  /** For the registration rate limit's window (see server/time/clock.ts). */
  monotonicClock?: MonotonicClock;
  /** From MAX_QUEUE_SIZE: wins over the stored capacity at start-up. */
  maxQueueSize?: number;
  /** The station settings (server/config/station.ts); `setStation` follows their changes. */
  station?: StationSettings;
}

/** What a command's body produced on its working copy. */
interface Outcome<T> {
  result: T;
  broadcasts: Broadcast[];
  logEntries: LogEntry[];
  logRemovals: string[];
  /** In-memory bookkeeping that holds only once the command is on disk. */
  afterCommit: (() => void)[];
  /** The command answers with the id each of its log entries is logged under (known only once the batch is planned). */
  answersLoggedIds?: boolean;
}

/** A command waiting for its batch. */
interface Pending {
  run(draft: Draft): Outcome<unknown>;
  /** False for changes to the log alone, which take no time of their own. */
  timed: boolean;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/** At most this many commands share one commit, so a flood does not make one batch wait for all of it. */
const MAX_BATCH = 256;

function initialState(maxQueueSize: number): PersistedState {
  return {
    active: false,
    queue: [],
    current: null,
    frequency: null,
    mode: null,
    split: null,
    max_queue_size: maxQueueSize,
    controls: defaultControls(),
  };
}

/**
 * A working copy of the state for one command. Everything a command changes in place (the
 * state itself, the queue and ban arrays, the current QSO, the controls) is copied; the queue
 * and ban entries, which no command changes, are shared — so a copy is cheap with 1,000
 * waiting, and the store recognises the entries it already holds by identity.
 */
function draftCopy(state: PersistedState): PersistedState {
  return {
    ...state,
    queue: state.queue.slice(),
    current: state.current === null ? null : { ...state.current },
    controls: { ...state.controls, bans: state.controls.bans.slice() },
  };
}

/** `origin` is the operator's station, for bearings (null while its locator is not set). */
function publicQso(qso: PersistedQso, origin: LatLon | null): CurrentQso {
  const { logged: _logged, queued_at: _queuedAt, locator, no_shows: _noShows, ...wire } = qso;
  return { ...wire, ...countryFields(wire.callsign), ...positionFields(wire.callsign, locator, origin) };
}

/** Whether a callsign was already worked on the station's current band and mode. */
function originOf(station: StationSettings): LatLon | null {
  return station.locator === null ? null : locatorPosition(station.locator);
}

/** A work in progress on a copy of the state, collecting what to persist and broadcast. */
class Draft {
  readonly broadcasts: Broadcast[] = [];
  readonly logEntries: LogEntry[] = [];
  readonly logRemovals: string[] = [];
  readonly afterCommit: (() => void)[] = [];

  constructor(
    readonly state: PersistedState,
    readonly now: number,
    private readonly queueView: (entries: readonly PersistedQueueEntry[], state: PersistedState) => QueueEntry[],
    readonly origin: LatLon | null,
  ) {}

  get timestamp(): string {
    return isoAt(this.now);
  }

  queueChanged(change_type: QueueChangeType, affected_callsign: string | null): void {
    this.broadcasts.push({
      type: 'queue_update',
      timestamp: this.timestamp,
      data: {
        total: this.state.queue.length,
        max_size: this.state.max_queue_size,
        change_type,
        affected_callsign,
        queue: this.queueView(this.state.queue.slice(0, BROADCAST_QUEUE_LIMIT), this.state),
      },
    });
  }

  qsoChanged(change_type: QsoChangeType, qso: PersistedQso): void {
    this.broadcasts.push({
      type: 'qso_update',
      timestamp: this.timestamp,
      data: {
        callsign: qso.callsign,
        started_at: qso.started_at,
        source: qso.source,
        change_type,
        qso_id: qso.qso_id,
        ...(qso.frequency !== undefined && { frequency: qso.frequency }),
        ...(bandOf(qso.frequency) !== undefined && { band: bandOf(qso.frequency) }),
        ...(qso.mode !== undefined && { mode: qso.mode }),
        ...(change_type !== 'qso_started' && { ended_at: this.timestamp }),
        ...countryFields(qso.callsign),
        ...positionFields(qso.callsign, qso.locator, this.origin),
      },
    });
  }

  frequencyChanged(): void {
    const { frequency, mode, split } = this.state;
    this.broadcasts.push({ type: 'frequency_update', timestamp: this.timestamp, data: { frequency, mode, split } });
  }

  controlsChanged(change_type: ControlsChangeType, affected_callsign: string | null): void {
    const { bans, ...rules } = this.state.controls;
    this.broadcasts.push({
      type: 'controls_update',
      timestamp: this.timestamp,
      data: { ...rules, banned_count: bans.length, change_type, affected_callsign },
    });
  }

  systemChanged(changedBy: string): void {
    this.broadcasts.push({
      type: 'system_status_update',
      timestamp: this.timestamp,
      data: { active: this.state.active, changed_by: changedBy },
    });
  }

  /** Ends the current QSO as worked: logged (unless logging software already logged it). */
  completeCurrent(): PersistedQso | null {
    const qso = this.state.current;
    if (!qso) return null;
    if (!qso.logged) this.logEntries.push(this.logEntryFor(qso, this.timestamp));
    this.state.current = null;
    this.qsoChanged('qso_completed', qso);
    return qso;
  }

  /** Makes `qso` current, completing a different current QSO first. */
  startQso(qso: PersistedQso): void {
    if (this.state.current && this.state.current.qso_id !== qso.qso_id) this.completeCurrent();
    this.state.current = qso;
    this.qsoChanged('qso_started', qso);
  }

  /** A QSO with a caller taken from the queue: it remembers when they joined and their no-shows. */
  qsoFromQueue(entry: PersistedQueueEntry, source: string): PersistedQso {
    return {
      ...this.newQso(entry.callsign, source, {}),
      queued_at: entry.timestamp,
      ...(entry.locator !== undefined && { locator: entry.locator }),
      ...(entry.no_shows !== undefined && { no_shows: entry.no_shows }),
    };
  }

  newQso(callsign: string, source: string, details: QsoDetails, startedAt = this.timestamp): PersistedQso {
    const frequency = details.frequency ?? this.state.frequency ?? undefined;
    const mode = normalizeMode(details.mode) ?? this.state.mode ?? undefined;
    return {
      callsign,
      timestamp: startedAt,
      started_at: startedAt,
      source,
      qso_id: `${this.now.toString(36).padStart(9, '0')}${randomBytes(5).toString('hex')}`,
      ...(frequency !== undefined && { frequency }),
      ...(mode !== undefined && { mode }),
      ...(details.rst_sent !== undefined && { rst_sent: details.rst_sent }),
      ...(details.rst_received !== undefined && { rst_received: details.rst_received }),
      logged: false,
    };
  }

  logEntryFor(qso: PersistedQso, endedAt: string): LogEntry {
    const {
      timestamp: _sameAsStartedAt,
      logged: _logged,
      no_shows: _noShows,
      country: _c,
      dxcc: _d,
      continent: _n,
      cq_zone: _z,
      lat: _lat,
      lon: _lon,
      bearing: _bearing,
      distance_km: _distance,
      ...reported
    } = qso;
    return toLogEntry({ ...reported, ended_at: endedAt });
  }

  /** Takes `callsign` out of the queue; returns the entry, or null when it was not waiting. */
  take(callsign: string, change: QueueChangeType): PersistedQueueEntry | null {
    const index = this.state.queue.findIndex((entry) => entry.callsign === callsign);
    if (index < 0) return null;
    const [entry] = this.state.queue.splice(index, 1);
    this.queueChanged(change, callsign);
    return entry ?? null;
  }

  /** Takes `callsign` out of the queue; returns whether it was waiting. */
  dequeue(callsign: string, change: QueueChangeType): boolean {
    return this.take(callsign, change) !== null;
  }

  outcome<T>(result: T): Outcome<T> {
    return { result, broadcasts: this.broadcasts, logEntries: this.logEntries, logRemovals: this.logRemovals, afterCommit: this.afterCommit };
  }
}

function validCallsign(raw: string): string {
  const call = normalizeCallsign(raw);
  if (call === null) {
    throw new ProtocolError(ErrorCode.INVALID_CALLSIGN, `Invalid callsign format: ${summarize(JSON.stringify(raw))}`, {
      provided_callsign: raw,
    });
  }
  return call;
}

/** A QSO time from outside (the wire, a bridge) must lie in the sane range (protocol/timestamp.ts). */
function saneTimestamp(field: string, iso: string | undefined, now: number): void {
  if (iso === undefined || isSaneTimestamp(Date.parse(iso), now)) return;
  throw new ProtocolError(ErrorCode.INVALID_REQUEST, `Invalid ${field} ${iso}: it ${TIMESTAMP_RANGE_PROBLEM}`, {
    issues: [{ field, problem: TIMESTAMP_RANGE_PROBLEM }],
  });
}

function notWaiting(callsign: string, rawCallsign: string): ProtocolError {
  return new ProtocolError(ErrorCode.INVALID_REQUEST, `Callsign ${callsign} is not in the queue`, {
    provided_callsign: rawCallsign,
  });
}

function requireActive(state: PersistedState): void {
  if (!state.active) throw new ProtocolError(ErrorCode.SYSTEM_INACTIVE, 'System is currently inactive');
}

export class PileupService extends EventEmitter<ServiceEvents> {
  /** Runs the batches one at a time. */
  private readonly commands = new SerialQueue();
  private readonly pending: Pending[] = [];
  private flushScheduled = false;
  private readonly rateLimiter = new RegistrationRateLimiter();
  private readonly registrations = new RegistrationTimes();
  private readonly banUndo = new BanUndo();
  /** The QSO log with its derived indexes; read it here, change it only through commands. */
  readonly log: QsoLog;
  /** The operator's station position: the origin of every bearing (null without a locator). */
  private origin: LatLon | null;
  /** The first entries of the queue as the last `queue_update` showed them. */
  private readonly broadcastQueue = new PublicQueueView();

  private constructor(
    private readonly store: PileupStorage,
    private state: PersistedState,
    private readonly clock: Clock,
    private readonly monotonicClock: MonotonicClock,
    private station: StationSettings,
  ) {
    super();
    this.log = new QsoLog(store.log);
    this.origin = originOf(station);
  }

  static async create(options: PileupServiceOptions): Promise<PileupService> {
    const clock = options.clock ?? systemClock;
    const stored = await options.store.loadState();
    const state = stored ?? initialState(DEFAULTS.maxQueueSize);
    state.max_queue_size = firstDefined(options.maxQueueSize, stored?.max_queue_size, DEFAULTS.maxQueueSize);
    state.controls = withDefaultControls(state.controls);
    return new PileupService(
      options.store,
      state,
      clock,
      options.monotonicClock ?? systemMonotonicClock,
      options.station ?? structuredClone(DEFAULT_STATION),
    );
  }

  /** A consistent snapshot of the committed state. */
  status(): Status {
    const { state } = this;
    return {
      system_active: state.active,
      queue_size: state.queue.length,
      max_queue_size: state.max_queue_size,
      current_qso: state.current ? publicQso(state.current, this.origin) : null,
      queue: publicQueue(state.queue, this.viewContext(state)),
      registration_enabled: registrationOpen({
        system_active: state.active,
        registration_paused: state.controls.registration_paused,
        queue_size: state.queue.length,
        max_queue_size: state.max_queue_size,
      }),
      registration_paused: state.controls.registration_paused,
      frequency: state.frequency,
      mode: state.mode,
      split: state.split,
      station: publicStation(this.station),
    };
  }

  /**
   * Follows a saved change of the station settings (server/config/station.ts stores them):
   * bearings, the no-show rule and what callers see of the station change with it.
   */
  setStation(settings: StationSettings): Promise<void> {
    return this.commands.run(async () => {
      this.station = structuredClone(settings);
      this.origin = originOf(settings);
      this.emit('broadcast', { type: 'station_update', timestamp: isoAt(this.clock()), data: publicStation(this.station) });
    });
  }

  /**
   * Sends an adapter's own broadcast (the logger bridges' or the relay link's state) along the
   * core's, so every client, the console and the tray follow one stream.
   */
  publish(message: Broadcast): void {
    this.emit('broadcast', message);
  }

  /** End times of the most recent QSOs, newest first, for the console's wait estimate. */
  recentQsoEnds(): string[] {
    return this.log.recentEnds().reverse().map(isoAt);
  }

  currentQso(): CurrentQso | null {
    return this.state.current ? publicQso(this.state.current, this.origin) : null;
  }

  register(rawCallsign: string, from: RegistrationSource = {}): Promise<ReplyData<'register_callsign'>> {
    const { address = 'local', locator: rawLocator, admit } = from;
    return this.mutate((draft) => {
      const { state } = draft;
      if (admit) admit(rawCallsign, this.monotonicClock());
      else this.rateLimiter.refuseIfLimited(address, state.controls, this.monotonicClock());
      requireActive(state);
      refuseIfPaused(state.controls);
      const callsign = validCallsign(rawCallsign);
      refuseIfBanned(state.controls, callsign);
      const waiting = state.queue.findIndex((entry) => entry.callsign === callsign);
      if (waiting >= 0) {
        throw new ProtocolError(ErrorCode.ALREADY_IN_QUEUE, `Callsign ${callsign} is already in the queue`, {
          callsign,
          position: waiting + 1,
        });
      }
      if (state.current?.callsign === callsign) {
        throw new ProtocolError(ErrorCode.ALREADY_IN_QUEUE, `Callsign ${callsign} is being worked right now`, {
          callsign,
          current_qso: true,
        });
      }
      refuseIfWorkedRecently(callsign, this.log.lastWorkedAt(callsign), state.controls, draft.now);
      if (state.queue.length >= state.max_queue_size) {
        throw new ProtocolError(ErrorCode.QUEUE_FULL, `Queue is full (${state.max_queue_size} stations waiting)`, {
          current_size: state.queue.length,
          max_size: state.max_queue_size,
        });
      }
      const locator = rawLocator === undefined ? null : normalizeLocator(rawLocator);
      state.queue.push({ callsign, timestamp: draft.timestamp, ...(locator !== null && { locator }) });
      draft.queueChanged('registered', callsign);
      draft.afterCommit.push(() => this.registrations.record(draft.now));
      const position = state.queue.length;
      const estimated = this.estimatedWaitSeconds(position, draft.now);
      return draft.outcome({
        callsign,
        position,
        total_queue: state.queue.length,
        ...countryFields(callsign),
        ...(estimated !== undefined && { estimated_wait_s: estimated }),
      });
    });
  }

  workNext(): Promise<ReplyData<'admin_work_next'>> {
    return this.mutate((draft) => {
      const { state } = draft;
      requireActive(state);
      const head = state.queue[0];
      if (!head) throw new ProtocolError(ErrorCode.QUEUE_EMPTY, 'No stations in the queue');
      draft.dequeue(head.callsign, 'user_worked');
      const qso = draft.qsoFromQueue(head, 'queue');
      draft.startQso(qso);
      return draft.outcome({ callsign: head.callsign, remaining_queue: state.queue.length, current_qso: publicQso(qso, draft.origin) });
    });
  }

  workSpecific(rawCallsign: string): Promise<ReplyData<'admin_work_specific'>> {
    return this.mutate<ReplyData<'admin_work_specific'>>((draft) => {
      const { state } = draft;
      requireActive(state);
      const callsign = validCallsign(rawCallsign);
      if (state.current?.callsign === callsign) {
        return draft.outcome({ already_current: true, current_qso: publicQso(state.current, draft.origin) });
      }
      const entry = draft.take(callsign, 'user_worked');
      if (entry === null) throw notWaiting(callsign, rawCallsign);
      const qso = draft.qsoFromQueue(entry, 'queue_specific');
      draft.startQso(qso);
      return draft.outcome({ already_current: false, current_qso: publicQso(qso, draft.origin) });
    });
  }

  /**
   * Sets the current QSO directly (logging software or the operator typing a call). A waiting
   * station is taken out of the queue: it is never both waiting and being worked.
   */
  startQso(rawCallsign: string, details: Pick<QsoDetails, 'frequency' | 'mode'>, source = 'direct'): Promise<ReplyData<'admin_start_qso'>> {
    return this.mutate<ReplyData<'admin_start_qso'>>((draft) => {
      const callsign = validCallsign(rawCallsign);
      const { current } = draft.state;
      if (current?.callsign === callsign) {
        return draft.outcome({ already_current: true, current_qso: publicQso(current, draft.origin) });
      }
      const waiting = draft.take(callsign, 'user_worked');
      const qso = draft.newQso(callsign, source, details);
      if (waiting !== null) Object.assign(qso, { queued_at: waiting.timestamp, ...(waiting.locator !== undefined && { locator: waiting.locator }) });
      draft.startQso(qso);
      return draft.outcome({ already_current: false, current_qso: publicQso(qso, draft.origin) });
    });
  }

  /**
   * A QSO completed in the logging software: logged at once (and never again), then shown as
   * the current QSO until the next one.
   */
  sendQso(
    rawCallsign: string,
    details: QsoDetails & { timestamp?: string; started_at?: string },
    origin: QsoOrigin = {},
  ): Promise<ReplyData<'admin_send_qso'>> {
    return this.mutate((draft) => {
      const callsign = validCallsign(rawCallsign);
      saneTimestamp('timestamp', details.timestamp, draft.now);
      saneTimestamp('started_at', details.started_at, draft.now);
      const { current } = draft.state;
      const endedAt = details.timestamp ?? draft.timestamp;
      // A current QSO that is already logged was an earlier QSO: this one is new, with its own log entry.
      const base =
        current?.callsign === callsign && !current.logged
          ? current
          : draft.newQso(callsign, origin.source ?? 'logging_software', {}, details.started_at ?? endedAt);
      if (origin.qsoId !== undefined) base.qso_id = origin.qsoId;
      const qso: PersistedQso = {
        ...base,
        ...(details.frequency !== undefined && { frequency: details.frequency }),
        ...(normalizeMode(details.mode) !== undefined && { mode: normalizeMode(details.mode) }),
        ...(details.rst_sent !== undefined && { rst_sent: details.rst_sent }),
        ...(details.rst_received !== undefined && { rst_received: details.rst_received }),
        ...(normalizeLocator(details.locator) !== null && { locator: normalizeLocator(details.locator) as string }),
        logged: true,
      };
      if (qso.frequency === undefined && draft.state.frequency !== null) qso.frequency = draft.state.frequency;
      if (qso.mode === undefined && draft.state.mode !== null) qso.mode = draft.state.mode;
      const waiting = draft.take(callsign, 'user_worked');
      if (waiting !== null && qso.queued_at === undefined) {
        qso.queued_at = waiting.timestamp;
        if (waiting.locator !== undefined) qso.locator ??= waiting.locator;
      }
      draft.logEntries.push(draft.logEntryFor(qso, endedAt));
      draft.startQso(qso);
      return draft.outcome({
        callsign,
        processed_as: 'external_qso',
        current_qso_set: true,
        removed_from_queue: waiting !== null,
        current_qso: publicQso(qso, draft.origin),
      });
    });
  }

  completeQso(): Promise<ReplyData<'admin_complete_qso'>> {
    return this.mutate((draft) => {
      const completed = draft.completeCurrent();
      return draft.outcome({ completed_callsign: completed?.callsign ?? null, current_qso_cleared: completed !== null });
    });
  }

  /** Clears the current QSO without logging it as worked. */
  cancelQso(): Promise<ReplyData<'admin_cancel_qso'>> {
    return this.mutate((draft) => {
      const qso = draft.state.current;
      if (qso) {
        draft.state.current = null;
        draft.qsoChanged('qso_cancelled', qso);
      }
      return draft.outcome({ cancelled_callsign: qso?.callsign ?? null, current_qso_cleared: qso !== null });
    });
  }

  /**
   * The caller of the current QSO did not answer (WSJT-X Fox mode's rule): the QSO is cancelled
   * (not logged) and the caller goes back into the queue behind the next N callers, or is out
   * once they have not answered `no_show_strikes` times (station settings). A QSO logging
   * software already logged cannot be a no-show.
   */
  noShow(): Promise<ReplyData<'admin_no_show'>> {
    return this.mutate<ReplyData<'admin_no_show'>>((draft) => {
      const { state } = draft;
      const qso = state.current;
      if (qso === null) {
        throw new ProtocolError(ErrorCode.INVALID_REQUEST, 'No QSO in progress: nobody to mark as a no-show');
      }
      if (qso.logged) {
        throw new ProtocolError(ErrorCode.INVALID_REQUEST, `${qso.callsign} is already in the log (sent by logging software)`, {
          callsign: qso.callsign,
        });
      }
      requireActive(state);
      const noShows = (qso.no_shows ?? 0) + 1;
      state.current = null;
      draft.qsoChanged('qso_cancelled', qso);
      const strikes = this.station.no_show_strikes;
      if (noShows >= strikes) {
        return draft.outcome({ callsign: qso.callsign, no_shows: noShows, strikes, requeued: false, position: null, queue_size: state.queue.length });
      }
      // Behind the next N callers, or last when fewer are waiting.
      const index = Math.min(this.station.no_show_requeue_after, state.queue.length);
      state.queue.splice(index, 0, {
        callsign: qso.callsign,
        timestamp: qso.queued_at ?? qso.started_at,
        ...(qso.locator !== undefined && { locator: qso.locator }),
        no_shows: noShows,
      });
      draft.queueChanged('no_show', qso.callsign);
      return draft.outcome({
        callsign: qso.callsign,
        no_shows: noShows,
        strikes,
        requeued: true,
        position: index + 1,
        queue_size: state.queue.length,
      });
    });
  }

  /**
   * Flips the system, or sets it when `active` is given (idempotent). Deactivation completes the
   * current QSO and empties the queue.
   */
  toggleSystem(active: boolean | undefined, changedBy: string): Promise<ReplyData<'admin_toggle_system'> & { changed: boolean }> {
    return this.mutate<ReplyData<'admin_toggle_system'> & { changed: boolean }>((draft) => {
      const { state } = draft;
      const previous = state.active;
      const target = active ?? !previous;
      if (target === previous) {
        return draft.outcome({ system_active: previous, previous_state: previous, changed: false });
      }
      if (!target) {
        draft.completeCurrent();
        const clearedCount = state.queue.length;
        state.queue = [];
        state.active = false;
        draft.queueChanged('system_deactivated', null);
        draft.systemChanged(changedBy);
        return draft.outcome({
          system_active: false,
          previous_state: true,
          queue_cleared: true,
          cleared_count: clearedCount,
          changed: true,
        });
      }
      state.active = true;
      draft.systemChanged(changedBy);
      return draft.outcome({ system_active: true, previous_state: false, changed: true });
    });
  }

  clearQueue(): Promise<ReplyData<'admin_clear_queue'>> {
    return this.mutate((draft) => {
      const clearedCount = draft.state.queue.length;
      draft.state.queue = [];
      draft.queueChanged('cleared', null);
      return draft.outcome({ cleared_count: clearedCount, queue_size: 0 });
    });
  }

  removeCallsign(rawCallsign: string): Promise<ReplyData<'admin_remove_callsign'>> {
    return this.mutate((draft) => {
      const callsign = validCallsign(rawCallsign);
      if (!draft.dequeue(callsign, 'removed')) throw notWaiting(callsign, rawCallsign);
      return draft.outcome({ callsign, removed: true, queue_size: draft.state.queue.length });
    });
  }

  setFrequency(frequency: string | null, mode?: string): Promise<ReplyData<'admin_set_frequency'>> {
    return this.mutate((draft) => {
      draft.state.frequency = frequency;
      const normalized = normalizeMode(mode);
      if (normalized !== undefined) draft.state.mode = normalized;
      draft.frequencyChanged();
      return draft.outcome({ frequency: draft.state.frequency, mode: draft.state.mode, split: draft.state.split });
    });
  }

  setSplit(split: string | null): Promise<ReplyData<'admin_set_split'>> {
    return this.mutate((draft) => {
      draft.state.split = split;
      draft.frequencyChanged();
      return draft.outcome({ frequency: draft.state.frequency, mode: draft.state.mode, split: draft.state.split });
    });
  }

  /** Stations already waiting beyond a lowered capacity keep their place. */
  setMaxQueueSize(maxQueueSize: number): Promise<ReplyData<'admin_set_max_queue_size'>> {
    return this.mutate((draft) => {
      draft.state.max_queue_size = maxQueueSize;
      draft.broadcasts.push({
        type: 'settings_update',
        timestamp: draft.timestamp,
        data: { max_queue_size: maxQueueSize },
      });
      return draft.outcome({ max_queue_size: maxQueueSize, queue_size: draft.state.queue.length });
    });
  }

  /** Abuse controls with the full ban list, for the operator. */
  controls(): Controls {
    return structuredClone(this.state.controls);
  }

  /** Closes registration while keeping the queue (unlike switching the system off). */
  setRegistrationPaused(paused: boolean): Promise<ReplyData<'admin_pause_registration'>> {
    return this.mutate((draft) => {
      const { controls } = draft.state;
      const previous = controls.registration_paused;
      if (previous !== paused) {
        controls.registration_paused = paused;
        draft.controlsChanged(paused ? 'paused' : 'resumed', null);
      }
      return draft.outcome({ registration_paused: paused, previous_state: previous });
    });
  }

  /**
   * Bans a callsign from registering and takes it out of the queue — with every form of the call
   * (`G0ABC/P`, `EA8/G0ABC`) unless `onlyThisForm`; the current QSO is left alone. For a minute
   * the ban can be undone with the places in the queue it took (`unban(…, true)`).
   */
  ban(rawCallsign: string, reason: string | undefined, onlyThisForm = false): Promise<ReplyData<'admin_ban_callsign'>> {
    return this.mutate((draft) => {
      const callsign = validCallsign(rawCallsign);
      const { controls, queue } = draft.state;
      const existing = controls.bans.find((ban) => ban.callsign === callsign);
      const ban = { callsign, reason: reason || null, banned_at: existing?.banned_at ?? draft.timestamp, only_this_form: onlyThisForm };
      if (!existing && controls.bans.length >= MAX_BANS) {
        throw new ProtocolError(ErrorCode.INVALID_REQUEST, `The ban list is full (${MAX_BANS} callsigns)`, {
          banned_count: controls.bans.length,
        });
      }
      controls.bans = [...controls.bans.filter((other) => other.callsign !== callsign), ban];
      const covered = queue.flatMap((entry, index) => (banCovers(ban, entry.callsign) ? [{ entry, index }] : []));
      for (const { entry } of covered) draft.dequeue(entry.callsign, 'removed');
      draft.controlsChanged('banned', callsign);
      draft.afterCommit.push(() => this.banUndo.remember(callsign, covered, draft.now));
      return draft.outcome({
        ...ban,
        removed_from_queue: covered.length > 0,
        removed_callsigns: covered.map(({ entry }) => entry.callsign),
        banned_count: controls.bans.length,
      });
    });
  }

  /**
   * Lifts a ban. With `undo`, within a minute of the ban, the callers it took out of the queue
   * go back to the places they had (as far as the queue now reaches), whatever its capacity.
   */
  unban(rawCallsign: string, undo = false): Promise<ReplyData<'admin_unban_callsign'>> {
    return this.mutate((draft) => {
      const callsign = validCallsign(rawCallsign);
      const { controls, queue } = draft.state;
      if (!controls.bans.some((ban) => ban.callsign === callsign)) {
        throw new ProtocolError(ErrorCode.INVALID_REQUEST, `Callsign ${callsign} is not banned`, {
          provided_callsign: rawCallsign,
        });
      }
      controls.bans = controls.bans.filter((ban) => ban.callsign !== callsign);
      draft.controlsChanged('unbanned', callsign);
      const restored: string[] = [];
      if (undo) {
        for (const { entry, index } of this.banUndo.recall(callsign, draft.now)) {
          const taken = queue.some((other) => other.callsign === entry.callsign) || draft.state.current?.callsign === entry.callsign;
          if (taken) continue;
          queue.splice(Math.min(index, queue.length), 0, entry);
          restored.push(entry.callsign);
          draft.queueChanged('restored', entry.callsign);
        }
      }
      draft.afterCommit.push(() => this.banUndo.forget(callsign));
      return draft.outcome({ callsign, unbanned: true, banned_count: controls.bans.length, restored_to_queue: restored });
    });
  }

  setRegistrationRules(rules: Partial<RegistrationRules>): Promise<ReplyData<'admin_set_registration_rules'>> {
    return this.mutate((draft) => {
      const { controls } = draft.state;
      Object.assign(controls, Object.fromEntries(Object.entries(rules).filter(([, value]) => value !== undefined)));
      draft.controlsChanged('rules_changed', null);
      const { bans, ...current } = controls;
      return draft.outcome({ ...current, banned_count: bans.length });
    });
  }

  logPage(offset: number, limit: number): ReplyData<'admin_get_log'> {
    return { total: this.log.size, offset, entries: this.log.page(offset, limit).map((entry) => this.placed(entry)) };
  }

  /** The newest QSOs, newest first, with where they are: the callers' recent list and the map. */
  recentQsos(limit: number): LoggedQso[] {
    return this.log.page(0, limit).map((entry) => this.placed(entry));
  }

  /**
   * The recent list as callers see it: empty unless the operator shows it, times only when
   * allowed. The operator (`operator`) always sees it all.
   */
  recentForCallers(limit: number, operator: boolean): ReplyData<'get_recent_qsos'> {
    const shown = operator || this.station.public_recent_qsos;
    const showTimes = operator || this.station.public_worked_times;
    return { shown, qsos: shown ? this.recentQsos(limit).map((entry) => recentQso(entry, showTimes)) : [] };
  }

  /** "Am I in the log?": the bands and modes a callsign was worked on; times only when allowed. */
  searchLog(rawCallsign: string, operator: boolean): ReplyData<'search_log'> {
    const callsign = validCallsign(rawCallsign);
    return logSearch(callsign, this.log.qsosWith(callsign), operator || this.station.public_worked_times);
  }

  /** Rates, the 10-minute chart, the median wait, and the log by band and continent. */
  statistics(): Statistics {
    return statistics(this.log, this.registrations.since(this.clock() - RegistrationTimes.KEPT_MS), this.clock());
  }

  private placed(entry: LogEntry): LoggedQso {
    return { ...entry, ...positionFields(entry.callsign, entry.locator, this.origin) };
  }

  /** Takes QSOs out of the log (a logging program deleted them); the pileup state is untouched. */
  deleteLogged(qsoIds: readonly string[]): Promise<void> {
    return this.mutate((draft) => {
      draft.logRemovals.push(...qsoIds);
      return draft.outcome(undefined);
    }, false);
  }

  /**
   * Adds QSOs to the log as they are, replacing entries with the same id (an ADIF import, a
   * logger's correction), takes out the `superseded` ones (a logger's edit that changed a QSO's
   * identity) and merges reports of a QSO already logged (qso-log.ts): one command; the pileup
   * state is untouched. Resolves to the id each entry is logged under.
   */
  putLogged(entries: readonly LogEntry[], superseded: readonly string[] = []): Promise<string[]> {
    const kept = new Set(entries.map((entry) => entry.qso_id));
    return this.mutate((draft) => {
      draft.logEntries.push(...entries);
      draft.logRemovals.push(...superseded.filter((id) => !kept.has(id)));
      return { ...draft.outcome([]), answersLoggedIds: true };
    }, false);
  }

  private viewContext(state: PersistedState): ViewContext {
    const { frequency, mode } = state;
    return {
      origin: this.origin,
      logRevision: this.log.revision,
      frequency,
      mode,
      workedBefore: (callsign) => this.log.workedBefore(callsign, frequency ?? undefined, mode ?? undefined),
    };
  }

  /** Waits for every accepted command to finish; used before shutting down. */
  async drain(): Promise<void> {
    while (this.pending.length > 0 || this.commands.size > 0) await this.commands.drain();
  }

  private estimatedWaitSeconds(position: number, now: number): number | undefined {
    const perQso = secondsPerQso(this.log.recentEnds(), now);
    return perQso === null ? undefined : Math.round(position * perQso);
  }

  private mutate<T>(body: (draft: Draft) => Outcome<T>, timed = true): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ run: body, timed, resolve: resolve as (value: unknown) => void, reject });
      this.scheduleFlush();
    });
  }

  /** A batch runs at once when none is under way (a lone command waits for nothing), else right after it. */
  private scheduleFlush(): void {
    if (this.flushScheduled || this.pending.length === 0) return;
    this.flushScheduled = true;
    void this.commands.run(() => this.flush());
  }

  private async flush(): Promise<void> {
    this.flushScheduled = false;
    const batch: { pending: Pending; outcome?: Outcome<unknown>; error?: unknown }[] = [];
    let head = this.state;
    while (this.pending.length > 0 && batch.length < MAX_BATCH) {
      const pending = this.pending.shift() as Pending;
      const draft: Draft = new Draft(
        draftCopy(head),
        pending.timed ? this.clock() : Number.NaN,
        (entries, state) => this.broadcastQueue.view(entries, this.viewContext(state)),
        this.origin,
      );
      try {
        const outcome = pending.run(draft);
        head = draft.state;
        batch.push({ pending, outcome });
        if (outcome.logEntries.length > 0 || outcome.logRemovals.length > 0) break;
      } catch (error) {
        batch.push({ pending, error });
      }
    }
    this.scheduleFlush();

    const firstAccepted = batch.findIndex((item) => item.outcome !== undefined);
    if (firstAccepted >= 0) {
      const outcomes = batch.flatMap((item) => (item.outcome === undefined ? [] : [item.outcome]));
      // A batch ends with its first command that changes the log, so the plan is that command's.
      const plan = this.log.plan(outcomes.flatMap((outcome) => outcome.logEntries));
      const { put } = plan;
      const remove = outcomes.flatMap((outcome) => outcome.logRemovals.map((id) => this.log.resolve(id)));
      const gone = this.log.existing([...put.map((entry) => entry.qso_id), ...remove]);
      try {
        await this.store.commit({ put, remove, state: head });
      } catch (error) {
        // Refusals before the first accepted command were judged on committed state; the rest
        // may have been judged on changes that are now not made.
        batch.forEach((item, index) => item.pending.reject(index < firstAccepted ? item.error : error));
        return;
      }
      this.log.reindex(gone, put);
      this.log.remember(plan.aliases);
      for (const outcome of outcomes) if (outcome.answersLoggedIds === true) outcome.result = plan.ids;
      this.state = head;
      for (const outcome of outcomes) for (const bookkeeping of outcome.afterCommit) bookkeeping();
    }
    for (const { pending, outcome, error } of batch) {
      if (outcome === undefined) {
        pending.reject(error);
        continue;
      }
      // A listener that throws fails its own command's reply, not the rest of the batch.
      try {
        for (const message of outcome.broadcasts) this.emit('broadcast', message);
        pending.resolve(outcome.result);
      } catch (listenerError) {
        pending.reject(listenerError);
      }
    }
  }
}
