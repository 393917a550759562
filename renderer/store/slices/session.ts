/** The operator's login (browsers) and a caller's registration (the public page). */
import { normalizeCallsign } from '../../../server/protocol/callsign.js';
import { normalizeLocator } from '../../../server/protocol/locator.js';
import { describeError, describeFailure } from '../error-text.js';
import { OfflineError } from '../../transport/server-link.js';
import type { SliceContext } from './context.js';

/** `trusted`: the Electron window, no login; otherwise whether this browser holds a session. */
export type SessionState = 'trusted' | 'logged-out' | 'logged-in';

/**
 * Why a request of the public page did not go through, for the page to say in the caller's
 * language: a protocol error code with its details, or what was wrong before anything was sent.
 */
export interface Refusal {
  code: string | 'EMPTY' | 'NOT_A_CALLSIGN' | 'NOT_A_LOCATOR' | 'OFFLINE' | 'FAILED';
  details: Record<string, unknown>;
}

export type RegisterOutcome =
  | { ok: true; callsign: string; position: number; total: number; estimatedWaitS: number | null }
  | { ok: false; refusal: Refusal };

/** A request that threw: never reached the server, or no answer. */
export function failureRefusal(error: unknown): Refusal {
  return { code: error instanceof OfflineError ? 'OFFLINE' : 'FAILED', details: {} };
}

export interface SessionActions {
  /** Resolves with a plain-words error, or null once logged in. */
  login(username: string, password: string): Promise<string | null>;
  logout(): Promise<void>;
  /** `locator` (optional) is the caller's Maidenhead locator, for the operator's map and bearing. */
  register(callsign: string, locator?: string): Promise<RegisterOutcome>;
}

export function sessionActions({ link }: SliceContext): SessionActions {
  return {
    async login(username, password) {
      if (link.session === undefined) return null;
      try {
        const reply = await link.session.login(username, password);
        return reply.type === 'error' ? describeError(reply) : null;
      } catch (error) {
        return describeFailure(error);
      }
    },

    async logout() {
      await link.session?.logout();
    },

    // The server's own rules first, so a typo is explained at once; the server still decides.
    async register(raw, rawLocator = '') {
      const callsign = normalizeCallsign(raw);
      const typed = raw.trim().toUpperCase();
      if (callsign === null) return { ok: false, refusal: { code: typed === '' ? 'EMPTY' : 'NOT_A_CALLSIGN', details: { callsign: typed } } };
      const locator = rawLocator.trim() === '' ? undefined : normalizeLocator(rawLocator);
      if (locator === null) return { ok: false, refusal: { code: 'NOT_A_LOCATOR', details: { locator: rawLocator.trim() } } };
      let reply;
      try {
        reply = await link.request({ type: 'register_callsign', callsign, ...(locator !== undefined && { locator }) });
      } catch (error) {
        return { ok: false, refusal: failureRefusal(error) };
      }
      if (reply.type === 'error') return { ok: false, refusal: { code: reply.error_code, details: reply.details ?? {} } };
      const { data } = reply;
      return { ok: true, callsign: data.callsign, position: data.position, total: data.total_queue, estimatedWaitS: data.estimated_wait_s ?? null };
    },
  };
}
