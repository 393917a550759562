/** Milliseconds since the epoch; injected so expiry and timestamps are testable. */
export type Clock = () => number;

export const systemClock: Clock = () => Date.now();

export function isoAt(ms: number): string {
  return new Date(ms).toISOString();
}
