/** The operator's login (browsers) and a caller's registration (the public page). */
import { normalizeCallsign } from '../../../server/protocol/callsign.js';
import { describeError, describeFailure } from '../error-text.js';
import { plainWords } from '../requests.js';
import type { SliceContext } from './context.js';

/** `trusted`: the Electron window, no login; otherwise whether this browser holds a session. */
export type SessionState = 'trusted' | 'logged-out' | 'logged-in';

export type RegisterOutcome =
  | { ok: true; callsign: string; position: number; total: number; estimatedWaitS: number | null }
  | { ok: false; message: string };

export interface SessionActions {
  /** Resolves with a plain-words error, or null once logged in. */
  login(username: string, password: string): Promise<string | null>;
  logout(): Promise<void>;
  register(callsign: string): Promise<RegisterOutcome>;
}

export function sessionActions({ link, requests }: SliceContext): SessionActions {
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

    async register(raw) {
      const callsign = normalizeCallsign(raw);
      if (callsign === null) {
        const typed = raw.trim().toUpperCase();
        const shown = typed === '' ? 'Please enter your callsign.' : `"${typed}" is not a valid callsign.`;
        return { ok: false, message: `${shown} Use a form like EA1ABC, W1AW or EA8/DL1ABC/P.` };
      }
      try {
        const data = await requests.call({ type: 'register_callsign', callsign });
        return {
          ok: true,
          callsign: data.callsign,
          position: data.position,
          total: data.total_queue,
          estimatedWaitS: data.estimated_wait_s ?? null,
        };
      } catch (error) {
        return { ok: false, message: plainWords(error) };
      }
    },
  };
}
