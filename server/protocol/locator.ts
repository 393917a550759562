/**
 * The Maidenhead locator rule, shared by the station settings, a caller's optional locator and
 * the console's forms: a field (two letters A–R), then optionally a square (two digits), a
 * subsquare (two letters A–X) and an extended square (two digits) — 2, 4, 6 or 8 characters,
 * written the usual way (`JO62qm`). Dependency-free, like the callsign rule.
 */
const LOCATOR_PATTERN = /^[A-R]{2}(?:[0-9]{2}(?:[A-X]{2}(?:[0-9]{2})?)?)?$/;

export const LOCATOR_PROBLEM = 'must be a Maidenhead locator such as JO62 or JO62qm (4, 6 or 8 characters)';

/** The locator in its usual spelling, or null when it is not one we can place (at least a square). */
export function normalizeLocator(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const upper = raw.trim().toUpperCase();
  if (upper.length < 4 || !LOCATOR_PATTERN.test(upper)) return null;
  return upper.slice(0, 4) + upper.slice(4, 6).toLowerCase() + upper.slice(6);
}
