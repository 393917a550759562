/**
 * Server refusals and lost links in plain words, for people at a club table as much as for the
 * operator. Only the fields the protocol documents are read; anything else falls back to the
 * server's own message.
 */
import type { ErrorReply } from '../../server/protocol/envelopes.js';
import { OfflineError } from '../transport/server-link.js';

export type { ErrorReply };

function detail(reply: ErrorReply, key: string): unknown {
  return reply.details?.[key];
}

export function describeError(reply: ErrorReply): string {
  switch (reply.error_code) {
    case 'AUTHENTICATION_FAILED': {
      const wait = detail(reply, 'retry_after_s');
      return typeof wait === 'number'
        ? `Too many failed logins. Try again in ${wait} s.`
        : 'Wrong username or password.';
    }
    case 'AUTHENTICATION_REQUIRED':
      return 'Please log in again.';
    case 'SESSION_EXPIRED':
      return 'Your session has expired. Please log in again.';
    case 'INVALID_CALLSIGN': {
      const provided = detail(reply, 'provided_callsign');
      const shown = typeof provided === 'string' ? `"${provided.trim()}"` : 'That';
      return `${shown} is not a valid callsign. Use a form like EA1ABC, W1AW or EA8/DL1ABC/P.`;
    }
    case 'SYSTEM_INACTIVE':
      return 'The operator is not taking calls right now. Please try again later.';
    case 'QUEUE_FULL': {
      const size = detail(reply, 'current_size');
      const max = detail(reply, 'max_size');
      const count = typeof size === 'number' && typeof max === 'number' ? ` (${size} of ${max})` : '';
      return `The queue is full${count}. Please try again in a few minutes.`;
    }
    case 'QUEUE_EMPTY':
      return 'Nobody is waiting in the queue.';
    case 'ALREADY_IN_QUEUE': {
      const callsign = detail(reply, 'callsign');
      const position = detail(reply, 'position');
      const who = typeof callsign === 'string' ? callsign : 'That callsign';
      if (detail(reply, 'current_qso') === true) return `${who} is being worked right now.`;
      return typeof position === 'number'
        ? `${who} is already in the queue, at position ${position}.`
        : `${who} is already in the queue.`;
    }
    case 'INVALID_REQUEST': {
      const issues = detail(reply, 'issues');
      const first: unknown = Array.isArray(issues) ? issues[0] : undefined;
      if (typeof first === 'object' && first !== null) {
        const { field, problem } = first as { field?: unknown; problem?: unknown };
        if (typeof field === 'string' && typeof problem === 'string') return `${field.replaceAll('_', ' ')}: ${problem}`;
      }
      return reply.message;
    }
    case 'SYSTEM_ERROR':
      return 'The server had a problem and nothing was changed. Please try again.';
    case 'REGISTRATION_PAUSED':
      return 'Registration is paused for a moment. Please try again in a few minutes.';
    case 'CALLSIGN_BANNED':
      return 'Sorry, this callsign cannot register in this pileup.';
    case 'RATE_LIMITED': {
      const wait = detail(reply, 'retry_after_s');
      return typeof wait === 'number' ? `Too many registrations from here. Try again in ${wait} s.` : 'Too many registrations from here. Please wait.';
    }
    case 'WORKED_RECENTLY': {
      const wait = detail(reply, 'retry_after_s');
      const minutes = typeof wait === 'number' ? ` in about ${Math.ceil(wait / 60)} min` : ' later';
      return `You were worked a short while ago. Please call again${minutes}.`;
    }
    case 'STORAGE_FAILED': {
      const full = detail(reply, 'reason') === 'ENOSPC' || detail(reply, 'reason') === 'EDQUOT';
      return `The server could not save this${full ? ' (its disk is full)' : ''}, so nothing was changed. Please try again in a few minutes.`;
    }
    default:
      // A code added by a newer server: its own message is the best we have.
      return reply.message;
  }
}

/** A request that threw (never reached the server, or no answer). */
export function describeFailure(error: unknown): string {
  if (error instanceof OfflineError) return `${error.message}. It will reconnect by itself; please try again then.`;
  return 'Something went wrong. Please try again.';
}
