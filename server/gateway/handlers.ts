/**
 * One handler per request type: a thin adapter from a validated request to the core and back to
 * a reply. The rules live in PileupService; the order of checks before a handler runs lives in
 * `dispatch.ts`.
 */
import type { Credentials } from '../auth/credentials.js';
import type { LoginThrottle } from '../auth/login-throttle.js';
import type { Sessions } from '../auth/sessions.js';
import { type Clock, isoAt } from '../time/clock.js';
import type { RegistrationAdmission } from '../core/abuse-controls.js';
import { LaneFullError } from '../async/semaphore.js';
import type { PileupService } from '../core/pileup-service.js';
import type { Bridges } from '../bridges/bridges.js';
import type { Listen } from '../config/listen.js';
import type { Relay } from '../relay/relay.js';
import type { Station } from '../config/station.js';
import { StorageFailure } from '../core/storage.js';
import type { StorageStatus } from '../protocol/storage.js';
import { exportAdif, importAdif } from '../core/log-transfer.js';
import { ErrorCode, ProtocolError } from '../protocol/errors.js';
import type { RequestOf, RequestType } from '../protocol/requests.js';
import { type ErrorReply, type Pong, type RequestId } from '../protocol/envelopes.js';
import { failure, success } from '../protocol/reply.js';
import { RECENT_QSOS_LIMIT } from '../protocol/rules.js';
import { stationSnapshot } from '../protocol/station.js';
import type { ReplyTo } from '../protocol/reply-data.js';

export interface GatewayContext {
  service: PileupService;
  sessions: Sessions;
  credentials: Credentials;
  throttle: LoginThrottle;
  clock: Clock;
  bridges: Bridges;
  listen: Listen;
  relay: Relay;
  station: Station;
  /** Whether the data files can be written right now. */
  storageStatus: () => StorageStatus;
}

/** Who sent a request: a WebSocket connection, or the trusted local operator (IPC, tray). */
export interface Caller {
  connectionId: string;
  address: string;
  /** The operator's own console over IPC: admin requests need no session token. */
  trusted?: boolean;
  /**
   * The request came through the public relay (source `relay`): public types only, no session,
   * and registrations are admitted by the relay's own limits instead of the per-address one.
   */
  relay?: { admitRegistration: RegistrationAdmission };
  /** The token sent with this request, if any (already checked for admin requests). */
  sessionToken?: string | undefined;
}

/** A handler answers with exactly the reply its request type promises (reply-data.ts). */
type Handler<T extends RequestType> = (
  request: RequestOf<T>,
  requestId: RequestId,
  caller: Caller,
  context: GatewayContext,
) => Promise<ReplyTo<T>> | ReplyTo<T>;

function pong(requestId: RequestId, clock: Clock, sessionValid?: boolean): Pong {
  const now = isoAt(clock());
  return {
    type: 'pong',
    request_id: requestId,
    timestamp: now,
    server_time: now,
    ...(sessionValid !== undefined && { session_valid: sessionValid }),
  };
}

const CHANGED_BY_ADMIN = 'admin';

/** The operator sees public data in full (times, lists the callers' page may hide). */
function isOperator(caller: Caller, { sessions }: GatewayContext): boolean {
  return caller.trusted === true || (caller.sessionToken !== undefined && sessions.check(caller.sessionToken) === 'valid');
}

export const handlers: { [T in RequestType]: Handler<T> } = {
  async auth_request({ username, password }, requestId, caller, { sessions, credentials, throttle }) {
    // Counted before the password is hashed: parallel attempts cannot outrun the allowance.
    const admission = throttle.admit(caller.connectionId, caller.address);
    if (!admission.admitted) {
      return failure(requestId, ErrorCode.AUTHENTICATION_FAILED, 'Too many failed logins; try again later', {
        retry_after_s: admission.retryAfterSeconds,
      });
    }
    let valid: boolean;
    try {
      valid = await credentials.verify(username, password);
    } catch (error) {
      admission.retract();
      if (!(error instanceof LaneFullError)) throw error;
      return failure(requestId, ErrorCode.AUTHENTICATION_FAILED, 'Too many logins are being checked; try again in a moment', {
        retry_after_s: 1,
      });
    }
    if (!valid) return failure(requestId, ErrorCode.AUTHENTICATION_FAILED, 'Invalid credentials');
    admission.retract();
    const { token, expiresAt } = await sessions.create();
    return {
      type: 'auth_response',
      request_id: requestId,
      success: true,
      authenticated: true,
      session_token: token,
      expires_at: isoAt(expiresAt),
      message: 'Authentication successful',
    };
  },

  async auth_logout(_request, requestId, caller, { sessions }) {
    if (caller.sessionToken !== undefined) await sessions.revoke(caller.sessionToken);
    return success(requestId, 'Logged out successfully', { logged_out: true });
  },

  async register_callsign({ callsign, locator }, requestId, caller, { service }) {
    const registered = await service.register(callsign, { address: caller.address, locator, admit: caller.relay?.admitRegistration });
    return success(requestId, 'Callsign registered successfully', registered);
  },

  get_queue_status(_request, requestId, _caller, { service }) {
    return success(requestId, 'Queue status retrieved', service.status());
  },

  get_current_qso(_request, requestId, _caller, { service }) {
    const current = service.currentQso();
    return success(requestId, current ? 'Current QSO retrieved' : 'No active QSO', { current_qso: current });
  },

  get_recent_qsos({ limit = RECENT_QSOS_LIMIT.default }, requestId, caller, context) {
    const result = context.service.recentForCallers(limit, isOperator(caller, context));
    return success(requestId, result.shown ? 'Recent QSOs retrieved' : 'The operator does not show recent QSOs', result);
  },

  search_log({ callsign }, requestId, caller, context) {
    const result = context.service.searchLog(callsign, isOperator(caller, context));
    const message = result.total_qsos === 0 ? `${result.callsign} is not in the log` : `${result.callsign} is in the log`;
    return success(requestId, message, result);
  },

  ping(_request, requestId, caller, { sessions, clock }) {
    const valid = caller.sessionToken === undefined ? undefined : sessions.check(caller.sessionToken) === 'valid';
    return pong(requestId, clock, valid);
  },

  admin_ping(_request, requestId, _caller, { clock }) {
    return pong(requestId, clock, true);
  },

  async admin_send_qso({ callsign, ...details }, requestId, _caller, { service }) {
    return success(requestId, 'QSO processed successfully', await service.sendQso(callsign, details));
  },

  async admin_work_next(_request, requestId, _caller, { service }) {
    return success(requestId, 'Next user activated for QSO', await service.workNext());
  },

  async admin_complete_qso(_request, requestId, _caller, { service }) {
    const result = await service.completeQso();
    const message = result.current_qso_cleared ? 'Current QSO completed successfully' : 'No active QSO to complete';
    return success(requestId, message, result);
  },

  async admin_toggle_system({ active }, requestId, _caller, { service }) {
    const { changed, ...result } = await service.toggleSystem(active, CHANGED_BY_ADMIN);
    const state = result.system_active ? 'activated' : 'deactivated';
    const message = changed ? `System ${state} successfully` : `System is already ${result.system_active ? 'active' : 'inactive'}`;
    return success(requestId, message, result);
  },

  async admin_clear_queue(_request, requestId, _caller, { service }) {
    return success(requestId, 'Queue cleared successfully', await service.clearQueue());
  },

  async admin_start_qso({ callsign, frequency, mode, source }, requestId, _caller, { service }) {
    const result = await service.startQso(
      callsign,
      { ...(frequency !== undefined && { frequency }), ...(mode !== undefined && { mode }) },
      source,
    );
    const message = result.already_current ? `Already working ${result.current_qso.callsign}` : 'QSO started successfully';
    return success(requestId, message, result);
  },

  async admin_work_specific({ callsign }, requestId, _caller, { service }) {
    const result = await service.workSpecific(callsign);
    const message = result.already_current
      ? `Already working ${result.current_qso.callsign}`
      : `Now working ${result.current_qso.callsign}`;
    return success(requestId, message, result);
  },

  async admin_cancel_qso(_request, requestId, _caller, { service }) {
    const result = await service.cancelQso();
    return success(requestId, result.current_qso_cleared ? 'QSO cancelled' : 'No active QSO to cancel', result);
  },

  async admin_no_show(_request, requestId, _caller, { service }) {
    const result = await service.noShow();
    const message = result.requeued
      ? `${result.callsign} did not answer (${result.no_shows} of ${result.strikes}); back in the queue at position ${result.position}`
      : `${result.callsign} did not answer ${result.no_shows} times; out of the queue`;
    return success(requestId, message, result);
  },

  async admin_remove_callsign({ callsign }, requestId, _caller, { service }) {
    const result = await service.removeCallsign(callsign);
    return success(requestId, `Callsign ${result.callsign} removed from the queue`, result);
  },

  admin_get_status(_request, requestId, _caller, { service, sessions, storageStatus }) {
    return success(requestId, 'Status retrieved', {
      ...service.status(),
      active_sessions: sessions.activeCount,
      recent_qso_ends: service.recentQsoEnds(),
      storage: storageStatus(),
    });
  },

  admin_get_queue(_request, requestId, _caller, { service }) {
    return success(requestId, 'Queue retrieved', service.status());
  },

  async admin_set_frequency({ frequency, mode }, requestId, _caller, { service }) {
    const result = await service.setFrequency(frequency, mode);
    return success(requestId, 'Frequency set successfully', result);
  },

  async admin_clear_frequency(_request, requestId, _caller, { service }) {
    return success(requestId, 'Frequency cleared successfully', await service.setFrequency(null));
  },

  async admin_set_split({ split }, requestId, _caller, { service }) {
    return success(requestId, 'Split set successfully', await service.setSplit(split));
  },

  async admin_clear_split(_request, requestId, _caller, { service }) {
    return success(requestId, 'Split cleared successfully', await service.setSplit(null));
  },

  async admin_set_max_queue_size({ max_queue_size }, requestId, _caller, { service }) {
    return success(requestId, 'Max queue size updated', await service.setMaxQueueSize(max_queue_size));
  },

  admin_get_log({ offset = 0, limit = 50 }, requestId, _caller, { service }) {
    return success(requestId, 'QSO log retrieved', service.logPage(offset, limit));
  },

  async admin_set_credentials({ username, password }, requestId, _caller, { credentials, sessions }) {
    await credentials.change(username, password);
    await sessions.revokeAll();
    return success(requestId, 'Credentials changed; every session has ended, log in again', {
      username,
      sessions_revoked: true,
    });
  },

  admin_export_adif(_request, requestId, _caller, { service, clock }) {
    return success(requestId, 'QSO log exported as ADIF', exportAdif(service, new Date(clock())));
  },

  async admin_import_adif({ adif }, requestId, _caller, { service, clock }) {
    return success(requestId, 'ADIF imported into the QSO log', await importAdif(service, adif, clock()));
  },

  admin_get_bridges(_request, requestId, _caller, { bridges }) {
    return success(requestId, 'Bridges retrieved', bridges.snapshot());
  },

  async admin_set_bridges(settings, requestId, _caller, { bridges }) {
    return success(requestId, 'Bridge settings saved', await bridges.configure(settings));
  },

  async admin_get_listen(_request, requestId, _caller, { listen }) {
    return success(requestId, 'Listen address retrieved', await listen.snapshot());
  },

  async admin_set_listen(settings, requestId, _caller, { listen }) {
    return success(requestId, 'Listen address saved; it applies after a restart', await listen.save(settings));
  },

  admin_get_relay(_request, requestId, _caller, { relay }) {
    return success(requestId, 'Relay settings retrieved', relay.snapshot());
  },

  async admin_set_relay(settings, requestId, _caller, { relay }) {
    return success(requestId, 'Relay settings saved', await relay.configure(settings));
  },

  admin_get_station(_request, requestId, _caller, { station }) {
    return success(requestId, 'Station settings retrieved', stationSnapshot(station.current));
  },

  async admin_set_station(changes, requestId, _caller, { station, service }) {
    const saved = await station.save(changes, (settings) => service.setStation(settings));
    return success(requestId, 'Station settings saved', stationSnapshot(saved));
  },

  admin_get_stats(_request, requestId, _caller, { service }) {
    return success(requestId, 'Statistics retrieved', service.statistics());
  },

  async admin_pause_registration(_request, requestId, _caller, { service }) {
    const result = await service.setRegistrationPaused(true);
    return success(requestId, result.previous_state ? 'Registration is already paused' : 'Registration paused; the queue is kept', result);
  },

  async admin_resume_registration(_request, requestId, _caller, { service }) {
    const result = await service.setRegistrationPaused(false);
    return success(requestId, result.previous_state ? 'Registration resumed' : 'Registration is already open', result);
  },

  async admin_ban_callsign({ callsign, reason, only_this_form }, requestId, _caller, { service }) {
    const result = await service.ban(callsign, reason, only_this_form);
    const forms = result.only_this_form ? '' : ' (every form of the call)';
    return success(requestId, `Callsign ${result.callsign} banned${forms}`, result);
  },

  async admin_unban_callsign({ callsign, undo }, requestId, _caller, { service }) {
    const result = await service.unban(callsign, undo);
    const restored = result.restored_to_queue.length > 0 ? `; back in the queue: ${result.restored_to_queue.join(', ')}` : '';
    return success(requestId, `Callsign ${result.callsign} may register again${restored}`, result);
  },

  admin_get_controls(_request, requestId, _caller, { service }) {
    return success(requestId, 'Controls retrieved', service.controls());
  },

  async admin_set_registration_rules(rules, requestId, _caller, { service }) {
    return success(requestId, 'Registration rules updated', await service.setRegistrationRules(rules));
  },
};

/**
 * Turns anything a handler threw into an error reply: a write the disk refused becomes
 * STORAGE_FAILED with the OS's reason, anything unexpected SYSTEM_ERROR.
 */
export function errorReply(requestId: RequestId, error: unknown, onUnexpected: (error: unknown) => void): ErrorReply {
  if (error instanceof ProtocolError) return failure(requestId, error.code, error.message, error.details);
  if (error instanceof StorageFailure) {
    return failure(requestId, ErrorCode.STORAGE_FAILED, error.message, { reason: error.reason, file: error.file });
  }
  onUnexpected(error);
  return failure(requestId, ErrorCode.SYSTEM_ERROR, 'Internal server error; nothing was changed');
}
