/**
 * Failed-login throttling, per connection and per remote address. A correct login is refused
 * only once a key has failed `limit` times within the window; invalid requests do not count.
 * The per-address limit is higher, since the operator's own machine may host several clients.
 */
import type { Clock } from '../time/clock.js';

export const LOGIN_WINDOW_MS = 60_000;
export const CONNECTION_FAILURE_LIMIT = 5;
export const ADDRESS_FAILURE_LIMIT = 20;

export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly clock: Clock) {}

  /** Seconds until a login may be tried again, or 0 when it may be tried now. */
  retryAfterSeconds(connectionKey: string, addressKey: string): number {
    return Math.max(
      this.waitFor(`c:${connectionKey}`, CONNECTION_FAILURE_LIMIT),
      this.waitFor(`a:${addressKey}`, ADDRESS_FAILURE_LIMIT),
    );
  }

  recordFailure(connectionKey: string, addressKey: string): void {
    const now = this.clock();
    for (const key of [`c:${connectionKey}`, `a:${addressKey}`]) {
      this.failures.set(key, [...this.recent(key, now), now]);
    }
  }

  /** The connection is gone: its own record goes too (its address record stays). */
  forgetConnection(connectionKey: string): void {
    this.failures.delete(`c:${connectionKey}`);
  }

  private recent(key: string, now: number): number[] {
    const recent = (this.failures.get(key) ?? []).filter((at) => now - at < LOGIN_WINDOW_MS);
    if (recent.length === 0) this.failures.delete(key);
    return recent;
  }

  private waitFor(key: string, limit: number): number {
    const now = this.clock();
    const recent = this.recent(key, now);
    if (recent.length < limit) return 0;
    const unblockAt = (recent[recent.length - limit] ?? now) + LOGIN_WINDOW_MS;
    return Math.max(1, Math.ceil((unblockAt - now) / 1000));
  }
}
