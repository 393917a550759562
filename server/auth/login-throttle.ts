/**
 * Login allowances, per connection and per sender (see sender-key.ts): at most 5 attempts per
 * connection and 20 per sender in any 60 s may reach a password check. An attempt counts from
 * the moment it is admitted, before its password is hashed, so attempts sent in parallel cannot
 * all slip through while the first ones are still being checked; a correct login is taken back
 * and does not count. Invalid requests never get here. The per-sender allowance is higher, since
 * the operator's own machine may host several clients. Windows follow the monotonic clock.
 */
import { senderKey } from '../limits/sender-key.js';
import { secondsToWait, SlidingWindow, type WindowRule } from '../limits/sliding-window.js';
import type { MonotonicClock } from '../time/clock.js';

export const LOGIN_WINDOW_MS = 60_000;
export const CONNECTION_FAILURE_LIMIT = 5;
export const ADDRESS_FAILURE_LIMIT = 20;

const PER_CONNECTION: WindowRule = { limit: CONNECTION_FAILURE_LIMIT, windowMs: LOGIN_WINDOW_MS };
const PER_SENDER: WindowRule = { limit: ADDRESS_FAILURE_LIMIT, windowMs: LOGIN_WINDOW_MS };

export type LoginAdmission =
  | { admitted: false; retryAfterSeconds: number }
  /** `retract`: the attempt turned out not to count (a correct login, or it was never checked). */
  | { admitted: true; retract(): void };

export class LoginThrottle {
  private readonly window = new SlidingWindow();

  constructor(private readonly clock: MonotonicClock) {}

  /** Admits one login attempt from this connection and address, counting it at once; or says how long to wait. */
  admit(connectionId: string, address: string): LoginAdmission {
    const now = this.clock();
    const keys: [string, WindowRule][] = [
      [`c:${connectionId}`, PER_CONNECTION],
      [`s:${senderKey(address)}`, PER_SENDER],
    ];
    const wait = Math.max(...keys.map(([key, rule]) => this.window.waitMs(key, rule, now)));
    if (wait > 0) return { admitted: false, retryAfterSeconds: secondsToWait(wait) };
    for (const [key] of keys) this.window.record(key, now);
    return {
      admitted: true,
      retract: () => {
        for (const [key] of keys) this.window.retract(key, now);
      },
    };
  }

  /** The connection is gone: its own record goes too (its sender's record stays). */
  forgetConnection(connectionId: string): void {
    this.window.forget(`c:${connectionId}`);
  }
}
