/**
 * From one request to one reply, in the order of checks PROTOCOL.md prescribes: JSON, object,
 * request_id, type, session (admin types), field schema, then the handler. `parseRequest` is
 * the text step, for the wire; in-process callers (the desktop console over IPC, the tray) hand
 * `dispatch` the object itself, so nothing is serialised and parsed again on the way. A request
 * from the public relay takes the same path; only public types get past the type check.
 */
import type { Reply, RequestId } from '../protocol/envelopes.js';
import { failure } from '../protocol/reply.js';
import { ErrorCode } from '../protocol/errors.js';
import { isRelayRequestType } from '../protocol/relay.js';
import { isRequestType, requestSchemas, requestTypes, requiresSession } from '../protocol/requests.js';
import { summarize } from '../protocol/summary.js';
import { type Caller, errorReply, type GatewayContext, handlers } from './handlers.js';

export type { Caller };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(requestId: RequestId, message: string, details?: Record<string, unknown>): Reply {
  return failure(requestId, ErrorCode.INVALID_REQUEST, message, details);
}

/** The JSON of one text frame, or the error reply for a frame that is not JSON. */
export function parseRequest(text: string): { message: unknown } | { reply: Reply } {
  try {
    return { message: JSON.parse(text) as unknown };
  } catch {
    return { reply: invalid(null, 'Message is not valid JSON') };
  }
}

export async function dispatch(
  message: unknown,
  caller: Caller,
  context: GatewayContext,
  onUnexpected: (error: unknown) => void,
): Promise<Reply> {
  if (!isPlainObject(message)) return invalid(null, 'Message must be a JSON object');

  const rawId = message.request_id ?? null;
  if (rawId !== null && typeof rawId !== 'string' && typeof rawId !== 'number') {
    return invalid(null, 'request_id must be a string');
  }
  const requestId: RequestId = rawId;

  const { type } = message;
  if (typeof type !== 'string') return invalid(requestId, 'Missing or invalid "type" field');
  if (!isRequestType(type)) {
    return invalid(requestId, `Unknown message type: ${summarize(type)}`, { supported_types: requestTypes });
  }
  if (caller.relay && !isRelayRequestType(type)) {
    return invalid(requestId, `${type} is not available through the relay`);
  }

  const token = message.session_token;
  if (token !== undefined && token !== null && typeof token !== 'string') {
    return invalid(requestId, 'session_token must be a string');
  }
  // Sessions never cross the relay: a token sent there is not looked at.
  const sessionToken = typeof token === 'string' && !caller.relay ? token : undefined;

  if (requiresSession(type) && !caller.trusted) {
    if (sessionToken === undefined || sessionToken === '') {
      return failure(requestId, ErrorCode.AUTHENTICATION_REQUIRED, 'Authentication required: send session_token');
    }
    const check = context.sessions.check(sessionToken);
    if (check === 'expired') {
      return failure(requestId, ErrorCode.SESSION_EXPIRED, 'Session expired; authenticate again');
    }
    if (check === 'unknown') {
      return failure(requestId, ErrorCode.AUTHENTICATION_REQUIRED, 'Invalid session token; authenticate again');
    }
  }

  const parsed = requestSchemas[type].safeParse(message);
  if (!parsed.success) {
    return invalid(requestId, `Invalid ${type} request`, {
      issues: parsed.error.issues.map((issue) => ({ field: issue.path.join('.'), problem: issue.message })),
    });
  }

  try {
    const handler = handlers[type] as (request: unknown, requestId: RequestId, caller: Caller, context: GatewayContext) => Promise<Reply> | Reply;
    return await handler(parsed.data, requestId, { ...caller, sessionToken }, context);
  } catch (error) {
    return errorReply(requestId, error, onUnexpected);
  }
}
