/** Builders for the reply envelopes of PROTOCOL.md. */
import type { ErrorCode, ErrorDetails } from '../protocol/errors.js';

export type RequestId = string | number | null;

export interface SuccessReply {
  type: 'success';
  request_id: RequestId;
  message: string;
  data?: object;
}

export interface ErrorReply {
  type: 'error';
  request_id: RequestId;
  error_code: ErrorCode;
  message: string;
  details?: ErrorDetails;
}

export type Reply = SuccessReply | ErrorReply | { type: 'auth_response' | 'pong'; request_id: RequestId; [key: string]: unknown };

export function success(request_id: RequestId, message: string, data?: object): SuccessReply {
  return data === undefined ? { type: 'success', request_id, message } : { type: 'success', request_id, message, data };
}

export function failure(request_id: RequestId, error_code: ErrorCode, message: string, details?: ErrorDetails): ErrorReply {
  return details === undefined
    ? { type: 'error', request_id, error_code, message }
    : { type: 'error', request_id, error_code, message, details };
}
