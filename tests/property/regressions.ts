/**
 * Shrunk counter-examples found by the property test, kept as regression cases: each runs before
 * the random ones, every time. Add a case by pasting the "Counterexample" fast-check prints.
 */
import type { Command } from './model.js';

export const REGRESSIONS: Command[][] = [
  // A model that logged an already-logged QSO again on replacement shrank to this: the second
  // send_qso must log a new QSO once and must not log the first again.
  [
    { client: 0, kind: 'admin_send_qso', callsign: 'EA1ABC' },
    { client: 0, kind: 'admin_send_qso', callsign: 'EA1ABC' },
  ],
  // Worked-recently must survive a restart (its memory is rebuilt from the log).
  [
    { client: 0, kind: 'admin_toggle_system', active: true },
    { client: 0, kind: 'admin_set_registration_rules', rules: { worked_recently_minutes: 5 } },
    { client: 0, kind: 'admin_send_qso', callsign: 'W1AW' },
    { client: 0, kind: 'admin_complete_qso' },
    { client: 0, kind: 'restart' },
    { client: 1, kind: 'register', callsign: 'W1AW' },
    { client: 0, kind: 'tick', minutes: 10 },
    { client: 2, kind: 'register', callsign: 'w1aw' },
  ],
];
