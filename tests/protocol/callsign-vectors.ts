/** The callsign vectors of PROTOCOL.md ("Callsigns"), shared by the unit and the wire tests. */

/** Must accept: [as sent, as stored after trim + uppercase]. */
export const MUST_ACCEPT: readonly (readonly [string, string])[] = [
  ['W1AW', 'W1AW'],
  ['KC1ABC', 'KC1ABC'],
  ['EA1ABC', 'EA1ABC'],
  ['DL1ABC', 'DL1ABC'],
  ['JA1XYZ', 'JA1XYZ'],
  ['VK2DEF', 'VK2DEF'],
  ['G0ABC', 'G0ABC'],
  ['2E0JFS', '2E0JFS'],
  ['2M0ABC', '2M0ABC'],
  ['EI0IRTS', 'EI0IRTS'],
  ['W10ABC', 'W10ABC'],
  ['KC12XY', 'KC12XY'],
  ['VK21A', 'VK21A'],
  ['A1A', 'A1A'],
  ['9Z9ABC', '9Z9ABC'],
  ['3DA0RU', '3DA0RU'],
  ['DL50FRANCE', 'DL50FRANCE'],
  ['VE2PEACE', 'VE2PEACE'],
  ['OL90ITALIA', 'OL90ITALIA'],
  ['OP20FENIKS', 'OP20FENIKS'],
  ['dl50france/p', 'DL50FRANCE/P'],
  ['EI6JGB/P', 'EI6JGB/P'],
  ['KC1ABC/M', 'KC1ABC/M'],
  ['DL1ABC/MM', 'DL1ABC/MM'],
  ['VK9/EI6JGB', 'VK9/EI6JGB'],
  ['EA8/DL1ABC/P', 'EA8/DL1ABC/P'],
  [' ea1abc ', 'EA1ABC'],
];

/** Strings that must be refused with INVALID_CALLSIGN. */
export const MUST_REJECT: readonly string[] = [
  '',
  '   ',
  'ABC1DEF',
  'ABCDEF',
  '123456',
  'KC',
  'W1',
  'KC123',
  // A suffix of nine letters: one more than special-event calls use.
  'KC1ABCDEFGHI',
  '1ABC9ABC',
  'KC1 ABC',
  'KC1@BC',
  'KC1AB-',
  // Not ASCII: uppercasing 'ß' gives 'SS', which must not turn this into W1ASS.
  'w1aß',
  '/P',
  'KC1ABC/',
  'A/B/C/D',
  // Shaped like a call (location prefix, base, suffix) but 21 characters: only the length rule refuses it.
  '3DA99/3DA1234ABCD/QRP',
  'W'.repeat(21),
];

/** Non-strings: a shape error, so INVALID_REQUEST on the wire (normalizeCallsign gives null). */
export const NON_STRINGS: readonly unknown[] = [42, null, true, ['EA1ABC'], { callsign: 'EA1ABC' }];
