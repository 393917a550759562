/**
 * Error codes of the wire protocol, defined once. The first ten are the integration guide's
 * table, exactly; any code added later is for a genuinely new situation and is listed in the
 * README's error table.
 */
export const ErrorCode = {
  AUTHENTICATION_REQUIRED: 'AUTHENTICATION_REQUIRED',
  AUTHENTICATION_FAILED: 'AUTHENTICATION_FAILED',
  SESSION_EXPIRED: 'SESSION_EXPIRED',
  INVALID_REQUEST: 'INVALID_REQUEST',
  INVALID_CALLSIGN: 'INVALID_CALLSIGN',
  SYSTEM_INACTIVE: 'SYSTEM_INACTIVE',
  QUEUE_FULL: 'QUEUE_FULL',
  QUEUE_EMPTY: 'QUEUE_EMPTY',
  ALREADY_IN_QUEUE: 'ALREADY_IN_QUEUE',
  SYSTEM_ERROR: 'SYSTEM_ERROR',
  // Abuse controls (README, error table): situations the guide has no code for.
  REGISTRATION_PAUSED: 'REGISTRATION_PAUSED',
  CALLSIGN_BANNED: 'CALLSIGN_BANNED',
  RATE_LIMITED: 'RATE_LIMITED',
  WORKED_RECENTLY: 'WORKED_RECENTLY',
  // The data files refused the write (a full disk, an I/O error): nothing was changed.
  STORAGE_FAILED: 'STORAGE_FAILED',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export const errorCodes = Object.values(ErrorCode) as [ErrorCode, ...ErrorCode[]];

export type ErrorDetails = Record<string, unknown>;

/** A refusal the client can act on; carried to the wire as an `error` reply. */
export class ProtocolError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorDetails,
  ) {
    super(message);
    this.name = 'ProtocolError';
  }
}
