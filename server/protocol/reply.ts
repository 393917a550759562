/**
 * The builders of reply envelopes, and their types: the only way replies are made, by the
 * server's handlers and by the renderer's transports when they stand in for the server (an HTTP
 * import answered as `admin_import_adif`). Type-only imports, so the renderer bundles no zod.
 */
import type { ErrorReply, RequestId, SuccessReply } from './envelopes.js';
import type { ErrorCode, ErrorDetails } from './errors.js';

export function success<Data extends object>(request_id: RequestId, message: string, data: Data): SuccessReply<Data> {
  return { type: 'success', request_id, message, data };
}

export function failure(request_id: RequestId, error_code: ErrorCode, message: string, details?: ErrorDetails): ErrorReply {
  return details === undefined
    ? { type: 'error', request_id, error_code, message }
    : { type: 'error', request_id, error_code, message, details };
}
