/**
 * The one sliding-window counter behind every allowance of the server (failed logins,
 * registrations, bridge datagrams): at most `limit` events per key in any `windowMs`. Time is
 * the caller's, from a monotonic clock. A key whose window empties is forgotten; beyond
 * `maxKeys` the least recently active key is forgotten, so a flood of senders cannot grow memory.
 */
export interface WindowRule {
  limit: number;
  windowMs: number;
}

/** Whole seconds to tell a client to wait, never 0 while it must wait. */
export function secondsToWait(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

export class SlidingWindow {
  /** Per key, the times of its events in the window, oldest first; map order is least recently active first. */
  private readonly events = new Map<string, number[]>();

  constructor(private readonly maxKeys = 10_000) {}

  /** Milliseconds until `key` may have one more event; 0 when it may now. */
  waitMs(key: string, rule: WindowRule, now: number): number {
    const recent = this.recent(key, rule, now);
    if (recent.length < rule.limit) return 0;
    const oldestThatCounts = recent[recent.length - rule.limit] ?? now;
    return Math.max(1, oldestThatCounts + rule.windowMs - now);
  }

  /** Counts an event now when the rule allows it and answers 0; otherwise counts nothing and answers the wait. */
  admit(key: string, rule: WindowRule, now: number): number {
    const wait = this.waitMs(key, rule, now);
    if (wait === 0) this.record(key, now);
    return wait;
  }

  /** Counts an event (the caller checked the rules, possibly of several keys, first). */
  record(key: string, now: number): void {
    const times = this.events.get(key) ?? [];
    times.push(now);
    this.events.delete(key);
    this.events.set(key, times);
    if (this.events.size > this.maxKeys) this.events.delete(this.events.keys().next().value as string);
  }

  /** Takes back one event counted at `at`: it turned out not to count (a correct login, say). */
  retract(key: string, at: number): void {
    const times = this.events.get(key);
    const index = times?.lastIndexOf(at) ?? -1;
    if (times === undefined || index < 0) return;
    times.splice(index, 1);
    if (times.length === 0) this.events.delete(key);
  }

  forget(key: string): void {
    this.events.delete(key);
  }

  /** Keys tracked right now. */
  get size(): number {
    return this.events.size;
  }

  private recent(key: string, rule: WindowRule, now: number): number[] {
    const times = this.events.get(key);
    if (times === undefined) return [];
    const firstInWindow = times.findIndex((at) => now - at < rule.windowMs);
    if (firstInWindow < 0) {
      this.events.delete(key);
      return [];
    }
    if (firstInWindow > 0) times.splice(0, firstInWindow);
    return times;
  }
}
