/**
 * The one callsign rule, shared by every message that carries a callsign (register, send/start
 * QSO, work specific, remove, bridges) and by the renderer's client-side validation.
 *
 * An ITU-shaped call: a prefix of one or two letters, or a digit and one or two letters; one to
 * four digits (special-event stations use long numbers); a suffix of one to eight letters (everyday
 * calls have up to four, special-event stations longer ones: DL50FRANCE, VE2PEACE, OL90ITALIA). It
 * may carry a location prefix (`EA8/`) and up to two operating suffixes (`/P`, `/MM`, `/QRP`, `/EA8`).
 */
const PREFIX = '(?:[A-Z]{1,2}|[0-9][A-Z]{1,2})';
const BASE = `${PREFIX}[0-9]{1,4}[A-Z]{1,8}`;
const LOCATION = `${PREFIX}[0-9]{0,2}`;
const OPERATING_SUFFIX = '[A-Z0-9]{1,4}';
const CALLSIGN_PATTERN = new RegExp(`^(?:${LOCATION}/)?${BASE}(?:/${OPERATING_SUFFIX}){0,2}$`);

export const MAX_CALLSIGN_LENGTH = 20;

/** Trims and uppercases `raw`; returns the normalized callsign, or null when it is not valid. */
export function normalizeCallsign(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  // Checked before uppercasing: 'ß'.toUpperCase() is 'SS', which would smuggle in a valid call.
  if (/[^\x20-\x7e]/.test(raw.trim())) return null;
  const call = raw.trim().toUpperCase();
  if (call.length === 0 || call.length > MAX_CALLSIGN_LENGTH) return null;
  return CALLSIGN_PATTERN.test(call) ? call : null;
}
