/**
 * One handler per request type: a thin adapter from a validated request to the core and back to
 * a reply. The rules live in PileupService; the order of checks before a handler runs lives in
 * `dispatch.ts`.
 */
import type { Credentials } from '../auth/credentials.js';
import type { LoginThrottle } from '../auth/login-throttle.js';
import type { Sessions } from '../auth/sessions.js';
import { type Clock, isoAt } from '../time/clock.js';
import type { PileupService } from '../core/pileup-service.js';
import type { Bridges } from '../bridges/bridges.js';
import type { Listen } from '../config/listen.js';
import { StorageFailure } from '../core/storage.js';
import type { StorageStatus } from '../protocol/storage.js';
import { exportAdif, importAdif } from '../core/log-transfer.js';
import { ErrorCode, ProtocolError } from '../protocol/errors.js';
import type { RequestOf, RequestType } from '../protocol/requests.js';
import { type ErrorReply, type Pong, type RequestId } from '../protocol/envelopes.js';
import { failure, success } from '../protocol/reply.js';
import type { ReplyTo } from '../protocol/reply-data.js';

export interface GatewayContext {
  service: PileupService;
  sessions: Sessions;
  credentials: Credentials;
  throttle: LoginThrottle;
  clock: Clock;
  bridges: Bridges;
  listen: Listen;
  /** Whether the data files can be written right now. */
  storageStatus: () => StorageStatus;
}

/** Who sent a request: a WebSocket connection, or the trusted local operator (IPC, tray). */
export interface Caller {
  connectionId: string;
  address: string;
  /** The operator's own console over IPC: admin requests need no session token. */
  trusted?: boolean;
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

export const handlers: { [T in RequestType]: Handler<T> } = {
  async auth_request({ username, password }, requestId, caller, { sessions, credentials, throttle }) {
    const retryAfter = throttle.retryAfterSeconds(caller.connectionId, caller.address);
    if (retryAfter > 0) {
      return failure(requestId, ErrorCode.AUTHENTICATION_FAILED, 'Too many failed logins; try again later', {
        retry_after_s: retryAfter,
      });
    }
    if (!(await credentials.verify(username, password))) {
      throttle.recordFailure(caller.connectionId, caller.address);
      return failure(requestId, ErrorCode.AUTHENTICATION_FAILED, 'Invalid credentials');
    }
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

  async register_callsign({ callsign }, requestId, caller, { service }) {
    return success(requestId, 'Callsign registered successfully', await service.register(callsign, caller.address));
  },

  get_queue_status(_request, requestId, _caller, { service }) {
    return success(requestId, 'Queue status retrieved', service.status());
  },

  get_current_qso(_request, requestId, _caller, { service }) {
    const current = service.currentQso();
    return success(requestId, current ? 'Current QSO retrieved' : 'No active QSO', { current_qso: current });
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

  async admin_import_adif({ adif }, requestId, _caller, { service }) {
    return success(requestId, 'ADIF imported into the QSO log', await importAdif(service, adif));
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

  async admin_pause_registration(_request, requestId, _caller, { service }) {
    const result = await service.setRegistrationPaused(true);
    return success(requestId, result.previous_state ? 'Registration is already paused' : 'Registration paused; the queue is kept', result);
  },

  async admin_resume_registration(_request, requestId, _caller, { service }) {
    const result = await service.setRegistrationPaused(false);
    return success(requestId, result.previous_state ? 'Registration resumed' : 'Registration is already open', result);
  },

  async admin_ban_callsign({ callsign, reason }, requestId, _caller, { service }) {
    const result = await service.ban(callsign, reason);
    return success(requestId, `Callsign ${result.callsign} banned`, result);
  },

  async admin_unban_callsign({ callsign }, requestId, _caller, { service }) {
    const result = await service.unban(callsign);
    return success(requestId, `Callsign ${result.callsign} may register again`, result);
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
