/** Milliseconds since the epoch; injected so expiry and timestamps are testable. */
export type Clock = () => number;

export const systemClock: Clock = () => Date.now();

/**
 * Milliseconds from an arbitrary origin that only ever moves forward at the pace of real time,
 * whatever is done to the wall clock: for throttle windows, lockouts and retry-after, so that
 * setting the clock back an hour cannot turn a 60 s lockout into 61 minutes. Injected like Clock.
 */
export type MonotonicClock = () => number;

export const systemMonotonicClock: MonotonicClock = () => performance.now();

export function isoAt(ms: number): string {
  return new Date(ms).toISOString();
}
