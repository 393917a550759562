/**
 * Delay before reconnect attempt `attempt` (1-based): doubling from `initialMs` up to `maxMs`,
 * spread by ±20 % so that every console on the LAN does not hammer a restarted server at once.
 */
export function backoffDelay(attempt: number, initialMs = 500, maxMs = 8000, random: () => number = Math.random): number {
  const base = Math.min(maxMs, initialMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
}
