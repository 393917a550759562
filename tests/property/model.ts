/**
 * A tiny reference model of the pileup: what every command should answer and how it should
 * change the state, written from PROTOCOL.md and the README rather than from the service. The
 * property test runs the same random commands against the real server and this model.
 */
import { bandOf, modeFamily } from '../../server/ham/band.js';
import { normalizeCallsign } from '../../server/protocol/callsign.js';

export const CLIENTS = 3;

/** A small pool, so that duplicates, bans and "worked recently" actually happen. */
export const VALID_CALLS = ['EA1ABC', 'DL1ABC', 'G0ABC', 'W1AW', ' ja1xyz ', 'VK9/EI6JGB'] as const;
export const INVALID_CALLS = ['ABC1DEF', '', 'KC1ABC/'] as const;
export const CALLS = [...VALID_CALLS, ...INVALID_CALLS];

/** Every request the model knows; `client` is who sends it. */
export type Command = { client: number } & (
  | { kind: 'register'; callsign: string | number }
  | { kind: 'get_queue_status' | 'get_current_qso' | 'ping' | 'admin_get_controls' | 'admin_get_log' | 'admin_get_status' }
  | { kind: 'admin_work_next' | 'admin_complete_qso' | 'admin_cancel_qso' | 'admin_clear_queue' }
  | { kind: 'admin_work_specific' | 'admin_remove_callsign' | 'admin_send_qso' | 'admin_start_qso' | 'admin_ban_callsign' | 'admin_unban_callsign'; callsign: string }
  | { kind: 'admin_toggle_system'; active?: boolean }
  | { kind: 'admin_set_max_queue_size'; size: number }
  | { kind: 'admin_set_frequency'; frequency: string }
  | { kind: 'admin_clear_frequency' | 'admin_clear_split' | 'admin_pause_registration' | 'admin_resume_registration' }
  | { kind: 'admin_set_split'; split: string }
  | { kind: 'admin_set_registration_rules'; rules: Partial<ModelRules> }
  | { kind: 'auth_request' | 'auth_logout' }
  | { kind: 'garbage'; payload: string }
  | { kind: 'tick'; minutes: number }
  | { kind: 'restart' }
);

export interface ModelRules {
  rate_limit_count: number;
  rate_limit_window_s: number;
  rate_limit_exempt_loopback: boolean;
  worked_recently_minutes: number;
}

export interface ModelState {
  now: number;
  active: boolean;
  queue: string[];
  current: (LoggedQso & { logged: boolean }) | null;
  maxQueueSize: number;
  frequency: string | null;
  mode: string | null;
  split: string | null;
  paused: boolean;
  bans: string[];
  rules: ModelRules;
  /** End time of each call's latest logged QSO. */
  lastWorked: Record<string, number>;
  logCount: number;
  /** Every QSO in the log, to tell a second report of one (README: one QSO, one entry) from a new QSO. */
  logged: LoggedQso[];
  loggedIn: boolean[];
  /** Registration attempts from 127.0.0.1 (every test client), for the rate limit; lost on restart. */
  attempts: number[];
  /** A capacity lowered below the queue lets the waiting stations keep their place. */
  overCapacityAllowed: boolean;
}

/** A QSO as the log sees it: who, when it started, on what frequency and mode. */
export interface LoggedQso {
  callsign: string;
  start: number;
  frequency: string | null;
  mode: string | null;
}

/** What the model expects the reply to be: success (of some reply type) or an error code. */
export type Expected = { ok: true } | { ok: false; code: string };

const OK: Expected = { ok: true };
const fail = (code: string): Expected => ({ ok: false, code });

export function initialModel(now: number): ModelState {
  return {
    now,
    active: false,
    queue: [],
    current: null,
    maxQueueSize: 4,
    frequency: null,
    mode: null,
    split: null,
    paused: false,
    bans: [],
    rules: { rate_limit_count: 10, rate_limit_window_s: 60, rate_limit_exempt_loopback: true, worked_recently_minutes: 0 },
    lastWorked: {},
    logCount: 0,
    logged: [],
    loggedIn: [true, false, false],
    attempts: [],
    overCapacityAllowed: false,
  };
}

const FREQUENCY = /^\d{1,6}(\.\d{1,7})?$/;
/** The bands the generated frequencies fall in (README: a frequency outside every amateur band is refused). */
const MODEL_BANDS: readonly [number, number][] = [
  [7.0, 7.3],
  [14.0, 14.35],
];
const inBand = (mhz: number) => MODEL_BANDS.some(([low, high]) => mhz >= low && mhz <= high);

/** Applies `command` to `m` (mutating it) and answers what the server must reply. */
export function step(m: ModelState, command: Command): Expected {
  const result = apply(m, command);
  if (m.queue.length <= m.maxQueueSize) m.overCapacityAllowed = false;
  return result;
}

/** README: the same call on the same band and mode (either unknown matches), started within two minutes. */
function sameQso(a: LoggedQso, b: LoggedQso): boolean {
  const agree = (x: string | undefined, y: string | undefined) => x === undefined || y === undefined || x === y;
  return (
    a.callsign === b.callsign &&
    Math.abs(a.start - b.start) <= 2 * 60_000 &&
    agree(bandOf(a.frequency ?? undefined), bandOf(b.frequency ?? undefined)) &&
    agree(modeFamily(a.mode ?? undefined), modeFamily(b.mode ?? undefined))
  );
}

function log(m: ModelState, qso: LoggedQso): void {
  const twin = m.logged.find((logged) => sameQso(logged, qso));
  if (twin === undefined) {
    m.logged.push({ ...qso });
    m.logCount += 1;
  } else {
    // The later report fills in what the first lacked.
    twin.frequency ??= qso.frequency;
    twin.mode ??= qso.mode;
  }
  m.lastWorked[qso.callsign] = Math.max(m.lastWorked[qso.callsign] ?? Number.NEGATIVE_INFINITY, m.now);
}

function completeCurrent(m: ModelState): void {
  if (m.current && !m.current.logged) log(m, m.current);
  m.current = null;
}

/** A new QSO with `callsign`, on the station's frequency and mode as they are now. */
function startNew(m: ModelState, callsign: string, logged: boolean): void {
  completeCurrent(m);
  m.current = { callsign, start: m.now, frequency: m.frequency, mode: m.mode, logged };
}

function dequeue(m: ModelState, callsign: string): boolean {
  const index = m.queue.indexOf(callsign);
  if (index >= 0) m.queue.splice(index, 1);
  return index >= 0;
}

function rateLimited(m: ModelState): boolean {
  const { rate_limit_count: count, rate_limit_window_s: window, rate_limit_exempt_loopback: exempt } = m.rules;
  if (count === 0 || exempt) return false;
  m.attempts = m.attempts.filter((at) => m.now - at < window * 1000);
  if (m.attempts.length >= count) return true;
  m.attempts.push(m.now);
  return false;
}

function apply(m: ModelState, c: Command): Expected {
  const isAdmin = c.kind.startsWith('admin_') || c.kind === 'auth_logout';
  if (isAdmin && !m.loggedIn[c.client]) return fail('AUTHENTICATION_REQUIRED');
  switch (c.kind) {
    case 'register': {
      if (typeof c.callsign !== 'string') return fail('INVALID_REQUEST');
      if (rateLimited(m)) return fail('RATE_LIMITED');
      if (!m.active) return fail('SYSTEM_INACTIVE');
      if (m.paused) return fail('REGISTRATION_PAUSED');
      const call = normalizeCallsign(c.callsign);
      if (call === null) return fail('INVALID_CALLSIGN');
      if (m.bans.includes(call)) return fail('CALLSIGN_BANNED');
      if (m.queue.includes(call) || m.current?.callsign === call) return fail('ALREADY_IN_QUEUE');
      const worked = m.lastWorked[call];
      if (m.rules.worked_recently_minutes > 0 && worked !== undefined && m.now - worked < m.rules.worked_recently_minutes * 60_000) {
        return fail('WORKED_RECENTLY');
      }
      if (m.queue.length >= m.maxQueueSize) return fail('QUEUE_FULL');
      m.queue.push(call);
      return OK;
    }
    case 'get_queue_status':
    case 'get_current_qso':
    case 'ping':
    case 'admin_get_controls':
    case 'admin_get_log':
    case 'admin_get_status':
      return OK;
    case 'admin_work_next': {
      if (!m.active) return fail('SYSTEM_INACTIVE');
      const head = m.queue.shift();
      if (head === undefined) return fail('QUEUE_EMPTY');
      startNew(m, head, false);
      return OK;
    }
    case 'admin_work_specific': {
      if (!m.active) return fail('SYSTEM_INACTIVE');
      const call = normalizeCallsign(c.callsign);
      if (call === null) return fail('INVALID_CALLSIGN');
      if (m.current?.callsign === call) return OK;
      if (!dequeue(m, call)) return fail('INVALID_REQUEST');
      startNew(m, call, false);
      return OK;
    }
    case 'admin_start_qso': {
      const call = normalizeCallsign(c.callsign);
      if (call === null) return fail('INVALID_CALLSIGN');
      if (m.current?.callsign === call) return OK;
      dequeue(m, call);
      startNew(m, call, false);
      return OK;
    }
    case 'admin_send_qso': {
      const call = normalizeCallsign(c.callsign);
      if (call === null) return fail('INVALID_CALLSIGN');
      if (m.current?.callsign === call && !m.current.logged) {
        m.current.frequency ??= m.frequency;
        m.current.mode ??= m.mode;
        log(m, m.current);
        m.current.logged = true;
        return OK;
      }
      log(m, { callsign: call, start: m.now, frequency: m.frequency, mode: m.mode });
      dequeue(m, call);
      startNew(m, call, true);
      return OK;
    }
    case 'admin_complete_qso':
      completeCurrent(m);
      return OK;
    case 'admin_cancel_qso':
      m.current = null;
      return OK;
    case 'admin_toggle_system': {
      const target = c.active ?? !m.active;
      if (target === m.active) return OK;
      if (!target) {
        completeCurrent(m);
        m.queue = [];
      }
      m.active = target;
      return OK;
    }
    case 'admin_clear_queue':
      m.queue = [];
      return OK;
    case 'admin_remove_callsign': {
      const call = normalizeCallsign(c.callsign);
      if (call === null) return fail('INVALID_CALLSIGN');
      return dequeue(m, call) ? OK : fail('INVALID_REQUEST');
    }
    case 'admin_set_max_queue_size':
      if (!Number.isInteger(c.size) || c.size < 1 || c.size > 1000) return fail('INVALID_REQUEST');
      if (c.size < m.queue.length) m.overCapacityAllowed = true;
      m.maxQueueSize = c.size;
      return OK;
    case 'admin_set_frequency':
      if (!FREQUENCY.test(c.frequency) || !inBand(Number(c.frequency))) return fail('INVALID_REQUEST');
      m.frequency = c.frequency;
      m.mode = 'SSB';
      return OK;
    case 'admin_clear_frequency':
      m.frequency = null;
      return OK;
    case 'admin_set_split':
      m.split = c.split;
      return OK;
    case 'admin_clear_split':
      m.split = null;
      return OK;
    case 'admin_pause_registration':
      m.paused = true;
      return OK;
    case 'admin_resume_registration':
      m.paused = false;
      return OK;
    case 'admin_ban_callsign': {
      const call = normalizeCallsign(c.callsign);
      if (call === null) return fail('INVALID_CALLSIGN');
      if (!m.bans.includes(call)) m.bans.push(call);
      dequeue(m, call);
      return OK;
    }
    case 'admin_unban_callsign': {
      const call = normalizeCallsign(c.callsign);
      if (call === null) return fail('INVALID_CALLSIGN');
      if (!m.bans.includes(call)) return fail('INVALID_REQUEST');
      m.bans = m.bans.filter((ban) => ban !== call);
      return OK;
    }
    case 'admin_set_registration_rules':
      if (Object.keys(c.rules).length === 0) return fail('INVALID_REQUEST');
      m.rules = { ...m.rules, ...c.rules };
      return OK;
    case 'auth_request':
      m.loggedIn[c.client] = true;
      return OK;
    case 'auth_logout':
      m.loggedIn[c.client] = false;
      return OK;
    case 'garbage':
      return fail('INVALID_REQUEST');
    case 'tick':
      m.now += c.minutes * 60_000;
      return OK;
    case 'restart':
      m.attempts = [];
      return OK;
  }
}
