/**
 * From one text frame to one reply, in the order of checks PROTOCOL.md prescribes: JSON, object,
 * request_id, type, session (admin types), field schema, then the handler.
 */
import { ErrorCode } from '../protocol/errors.js';
import { isRequestType, requestSchemas, requestTypes, requiresSession } from '../protocol/requests.js';
import { summarize } from '../protocol/summary.js';
import { type Caller, errorReply, type GatewayContext, handlers } from './handlers.js';
import { failure, type Reply, type RequestId } from './replies.js';

export interface Sender {
  connectionId: string;
  address: string;
  /** The operator's own console over IPC: admin requests need no session token. */
  trusted?: boolean;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(requestId: RequestId, message: string, details?: Record<string, unknown>): Reply {
  return failure(requestId, ErrorCode.INVALID_REQUEST, message, details);
}

export async function dispatch(
  text: string,
  sender: Sender,
  context: GatewayContext,
  onUnexpected: (error: unknown) => void,
): Promise<Reply> {
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return invalid(null, 'Message is not valid JSON');
  }
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

  const token = message.session_token;
  if (token !== undefined && token !== null && typeof token !== 'string') {
    return invalid(requestId, 'session_token must be a string');
  }
  const sessionToken = typeof token === 'string' ? token : undefined;

  if (requiresSession(type) && !sender.trusted) {
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

  const caller: Caller = { ...sender, sessionToken };
  try {
    const handler = handlers[type] as (
      request: unknown,
      requestId: RequestId,
      caller: Caller,
      context: GatewayContext,
    ) => Promise<Reply> | Reply;
    return await handler(parsed.data, requestId, caller, context);
  } catch (error) {
    return errorReply(requestId, error, onUnexpected);
  }
}
