/**
 * PileupService: the one state machine of Pileup Buster. It owns the system flag, the FIFO
 * queue, the current QSO, frequency/mode/split and the queue capacity. Every command validates,
 * mutates a copy, persists it, and only then commits the copy, emits its broadcasts and returns.
 * A refused command (a ProtocolError) changes nothing. Commands run one at a time.
 *
 * It knows nothing about WebSocket, IPC, Electron or React: those are adapters on this API.
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { countryFields } from '../ham/country.js';
import { toLogEntry } from '../ham/log-entry.js';
import { normalizeMode } from '../ham/mode.js';
import { normalizeCallsign } from '../protocol/callsign.js';
import { ErrorCode, ProtocolError } from '../protocol/errors.js';
import { summarize } from '../protocol/summary.js';
import { isSaneTimestamp, TIMESTAMP_RANGE_PROBLEM } from '../protocol/timestamp.js';
import type { Broadcast, ControlsChangeType, QsoChangeType, QueueChangeType } from '../protocol/broadcasts.js';
import type { Controls, CurrentQso, LogEntry, QueueEntry, RegistrationRules, Status } from '../protocol/entities.js';
import { BROADCAST_QUEUE_LIMIT, registrationOpen } from '../protocol/rules.js';
import { DEFAULTS } from '../config/defaults.js';
import { firstDefined } from '../config/precedence.js';
import type { ReplyData } from '../protocol/reply-data.js';
import { secondsPerQso } from '../protocol/wait-estimate.js';
import { SerialQueue } from '../async/serial-queue.js';
import { type Clock, isoAt, type MonotonicClock, systemClock, systemMonotonicClock } from '../time/clock.js';
import {
  defaultControls,
  MAX_BANS,
  type RegistrationAdmission,
  refuseIfBanned,
  refuseIfPaused,
  refuseIfWorkedRecently,
  RegistrationRateLimiter,
  withDefaultControls,
} from './abuse-controls.js';
import { QsoLog } from './qso-log.js';
import type { PersistedQso, PersistedState, PileupStorage } from './storage.js';

export interface ServiceEvents {
  broadcast: [Broadcast];
}

export interface QsoDetails {
  frequency?: string;
  mode?: string;
  rst_sent?: string;
  rst_received?: string;
}

/** Where a QSO sent by logging software came from: a bridge names itself and keeps the logger's own id. */
export interface QsoOrigin {
  source?: string;
  /** Reuses this log entry id, so the logger can later replace or delete the entry. */
  qsoId?: string;
}

export interface PileupServiceOptions {
  store: PileupStorage;
  clock?: Clock;
  /** For the registration rate limit's window (see server/time/clock.ts). */
  monotonicClock?: MonotonicClock;
  /** From MAX_QUEUE_SIZE: wins over the stored capacity at start-up. */
  maxQueueSize?: number;
}

/** What a command's body produced on its working copy. */
interface Outcome<T> {
  result: T;
  broadcasts: Broadcast[];
  logEntries: LogEntry[];
}

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

function publicQso(qso: PersistedQso): CurrentQso {
  const { logged: _logged, ...wire } = qso;
  return { ...wire, ...countryFields(wire.callsign) };
}

/** Whether a callsign was already worked on the station's current band and mode. */
type WorkedBefore = (callsign: string) => boolean;

function withPositions(queue: PersistedState['queue'], workedBefore: WorkedBefore): QueueEntry[] {
  return queue.map((entry, index) => ({
    callsign: entry.callsign,
    position: index + 1,
    timestamp: entry.timestamp,
    ...countryFields(entry.callsign),
    ...(workedBefore(entry.callsign) && { dupe: true }),
  }));
}

/** A work in progress on a copy of the state, collecting what to persist and broadcast. */
class Draft {
  readonly broadcasts: Broadcast[] = [];
  readonly logEntries: LogEntry[] = [];

  constructor(
    readonly state: PersistedState,
    readonly now: number,
    private readonly workedBefore: WorkedBefore,
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
        queue: withPositions(this.state.queue.slice(0, BROADCAST_QUEUE_LIMIT), this.workedBefore),
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
        ...(qso.mode !== undefined && { mode: qso.mode }),
        ...(change_type !== 'qso_started' && { ended_at: this.timestamp }),
        ...countryFields(qso.callsign),
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
    const { timestamp: _sameAsStartedAt, logged: _logged, country: _c, dxcc: _d, continent: _n, cq_zone: _z, ...reported } = qso;
    return toLogEntry({ ...reported, ended_at: endedAt });
  }

  /** Takes `callsign` out of the queue; returns whether it was waiting. */
  dequeue(callsign: string, change: QueueChangeType): boolean {
    const index = this.state.queue.findIndex((entry) => entry.callsign === callsign);
    if (index < 0) return false;
    this.state.queue.splice(index, 1);
    this.queueChanged(change, callsign);
    return true;
  }

  outcome<T>(result: T): Outcome<T> {
    return { result, broadcasts: this.broadcasts, logEntries: this.logEntries };
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
  private readonly commands = new SerialQueue();
  private readonly rateLimiter = new RegistrationRateLimiter();
  /** The QSO log with its derived indexes; read it here, change it only through commands. */
  readonly log: QsoLog;

  private constructor(
    private readonly store: PileupStorage,
    private state: PersistedState,
    private readonly clock: Clock,
    private readonly monotonicClock: MonotonicClock,
  ) {
    super();
    this.log = new QsoLog(store.log);
  }

  static async create(options: PileupServiceOptions): Promise<PileupService> {
    const clock = options.clock ?? systemClock;
    const stored = await options.store.loadState();
    const state = stored ?? initialState(DEFAULTS.maxQueueSize);
    state.max_queue_size = firstDefined(options.maxQueueSize, stored?.max_queue_size, DEFAULTS.maxQueueSize);
    state.controls = withDefaultControls(state.controls);
    return new PileupService(options.store, state, clock, options.monotonicClock ?? systemMonotonicClock);
  }

  /** A consistent snapshot of the committed state. */
  status(): Status {
    const { state } = this;
    return {
      system_active: state.active,
      queue_size: state.queue.length,
      max_queue_size: state.max_queue_size,
      current_qso: state.current ? publicQso(state.current) : null,
      queue: withPositions(state.queue, (callsign) => this.workedBefore(callsign, state)),
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
    };
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
    return this.state.current ? publicQso(this.state.current) : null;
  }

  /**
   * `address` is where the request came from, for the per-address rate limit; the trusted local
   * console is 'local'. `admit`, when given, replaces that limit (the relay's own limits).
   */
  register(rawCallsign: string, address = 'local', admit?: RegistrationAdmission): Promise<ReplyData<'register_callsign'>> {
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
      state.queue.push({ callsign, timestamp: draft.timestamp });
      draft.queueChanged('registered', callsign);
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
      const qso = draft.newQso(head.callsign, 'queue', {});
      draft.startQso(qso);
      return draft.outcome({ callsign: head.callsign, remaining_queue: state.queue.length, current_qso: publicQso(qso) });
    });
  }

  workSpecific(rawCallsign: string): Promise<ReplyData<'admin_work_specific'>> {
    return this.mutate<ReplyData<'admin_work_specific'>>((draft) => {
      const { state } = draft;
      requireActive(state);
      const callsign = validCallsign(rawCallsign);
      if (state.current?.callsign === callsign) {
        return draft.outcome({ already_current: true, current_qso: publicQso(state.current) });
      }
      if (!draft.dequeue(callsign, 'user_worked')) throw notWaiting(callsign, rawCallsign);
      const qso = draft.newQso(callsign, 'queue_specific', {});
      draft.startQso(qso);
      return draft.outcome({ already_current: false, current_qso: publicQso(qso) });
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
        return draft.outcome({ already_current: true, current_qso: publicQso(current) });
      }
      draft.dequeue(callsign, 'user_worked');
      const qso = draft.newQso(callsign, source, details);
      draft.startQso(qso);
      return draft.outcome({ already_current: false, current_qso: publicQso(qso) });
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
        logged: true,
      };
      if (qso.frequency === undefined && draft.state.frequency !== null) qso.frequency = draft.state.frequency;
      if (qso.mode === undefined && draft.state.mode !== null) qso.mode = draft.state.mode;
      draft.logEntries.push(draft.logEntryFor(qso, endedAt));
      const removedFromQueue = draft.dequeue(callsign, 'user_worked');
      draft.startQso(qso);
      return draft.outcome({
        callsign,
        processed_as: 'external_qso',
        current_qso_set: true,
        removed_from_queue: removedFromQueue,
        current_qso: publicQso(qso),
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

  /** Bans a callsign from registering and takes it out of the queue; the current QSO is left alone. */
  ban(rawCallsign: string, reason: string | undefined): Promise<ReplyData<'admin_ban_callsign'>> {
    return this.mutate((draft) => {
      const callsign = validCallsign(rawCallsign);
      const { controls } = draft.state;
      const existing = controls.bans.find((ban) => ban.callsign === callsign);
      const ban = { callsign, reason: reason || null, banned_at: existing?.banned_at ?? draft.timestamp };
      if (!existing && controls.bans.length >= MAX_BANS) {
        throw new ProtocolError(ErrorCode.INVALID_REQUEST, `The ban list is full (${MAX_BANS} callsigns)`, {
          banned_count: controls.bans.length,
        });
      }
      controls.bans = [...controls.bans.filter((other) => other.callsign !== callsign), ban];
      const removedFromQueue = draft.dequeue(callsign, 'removed');
      draft.controlsChanged('banned', callsign);
      return draft.outcome({ ...ban, removed_from_queue: removedFromQueue, banned_count: controls.bans.length });
    });
  }

  unban(rawCallsign: string): Promise<ReplyData<'admin_unban_callsign'>> {
    return this.mutate((draft) => {
      const callsign = validCallsign(rawCallsign);
      const { controls } = draft.state;
      if (!controls.bans.some((ban) => ban.callsign === callsign)) {
        throw new ProtocolError(ErrorCode.INVALID_REQUEST, `Callsign ${callsign} is not banned`, {
          provided_callsign: rawCallsign,
        });
      }
      controls.bans = controls.bans.filter((ban) => ban.callsign !== callsign);
      draft.controlsChanged('unbanned', callsign);
      return draft.outcome({ callsign, unbanned: true, banned_count: controls.bans.length });
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
    return { total: this.log.size, offset, entries: this.log.page(offset, limit) };
  }

  /** Takes QSOs out of the log (a logging program deleted them); the pileup state is untouched. */
  deleteLogged(qsoIds: readonly string[]): Promise<void> {
    return this.commands.run(() => this.log.remove(qsoIds));
  }

  /**
   * Adds QSOs to the log as they are, replacing entries with the same id (an ADIF import, a
   * logger's correction) and merging reports of a QSO already logged (qso-log.ts); the pileup
   * state is untouched. Resolves to the id each entry is logged under.
   */
  async putLogged(entries: readonly LogEntry[]): Promise<string[]> {
    return (await this.commands.run(() => this.log.put(entries))).ids;
  }

  private workedBefore(callsign: string, state: PersistedState): boolean {
    return this.log.workedBefore(callsign, state.frequency ?? undefined, state.mode ?? undefined);
  }

  /** Waits for every accepted command to finish; used before shutting down. */
  drain(): Promise<void> {
    return this.commands.drain();
  }

  private estimatedWaitSeconds(position: number, now: number): number | undefined {
    const perQso = secondsPerQso(this.log.recentEnds(), now);
    return perQso === null ? undefined : Math.round(position * perQso);
  }

  private mutate<T>(body: (draft: Draft) => Outcome<T>): Promise<T> {
    return this.commands.run(async () => {
      const draft: Draft = new Draft(structuredClone(this.state), this.clock(), (callsign: string): boolean =>
        this.workedBefore(callsign, draft.state),
      );
      const { result, broadcasts, logEntries } = body(draft);
      // The log is written first so a crash in between loses nothing; a failed state write
      // takes those entries back out, so a refused command leaves nothing half-applied.
      const logged = await this.log.put(logEntries);
      try {
        await this.store.saveState(draft.state);
      } catch (error) {
        await logged.undo();
        throw error;
      }
      this.state = draft.state;
      for (const message of broadcasts) this.emit('broadcast', message);
      return result;
    });
  }
}
