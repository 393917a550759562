/**
 * The one way a QSO becomes a log entry, whoever reports it (the queue, `admin_send_qso`, a
 * bridge, an ADIF import, a logger's correction): the band follows the frequency when there is
 * one, the mode is normalised, and the callsign's country is looked up.
 */
import type { LogEntry } from '../protocol/entities.js';
import { bandOf, modeFamily } from './band.js';
import { type Country, countryOf } from './country.js';
import { normalizeMode } from './mode.js';

/** What a reporter knows of a QSO; derived fields (band from frequency, country) are filled in here. */
export type LogEntryFields = Omit<LogEntry, 'country' | 'dxcc' | 'continent' | 'cq_zone'>;

export function toLogEntry(fields: LogEntryFields): LogEntry {
  return new Entry(fields, normalizeMode(fields.mode), bandOf(fields.frequency) ?? fields.band, countryOf(fields.callsign));
}

/**
 * A log entry built with every field set in one constructor, so that V8 sizes each entry once
 * for all its fields. Spread into an object literal, an entry grew its property store several
 * times over, and as entries live long V8 allocated those stores straight into the old
 * generation, garbage until the next mark-compact: importing 247,000 QSOs peaked at a 320 MB
 * heap, 150 MB like this. Absent fields stay absent, as in a literal; tests/ham/log-entry.test.ts checks
 * that every field of the schema is kept.
 */
class Entry implements LogEntry {
  declare qso_id: string;
  declare callsign: string;
  declare started_at: string;
  declare ended_at: string;
  declare source: string;
  declare frequency?: string;
  declare mode?: string;
  declare rst_sent?: string;
  declare rst_received?: string;
  declare band?: string;
  declare locator?: string;
  declare queued_at?: string;
  declare country?: string;
  declare dxcc?: number;
  declare continent?: string;
  declare cq_zone?: number;

  constructor(fields: LogEntryFields, mode: string | undefined, band: string | undefined, country: Country | null) {
    this.qso_id = fields.qso_id;
    this.callsign = fields.callsign;
    this.started_at = fields.started_at;
    this.ended_at = fields.ended_at;
    this.source = fields.source;
    if (fields.frequency !== undefined) this.frequency = fields.frequency;
    if (mode !== undefined) this.mode = mode;
    if (fields.rst_sent !== undefined) this.rst_sent = fields.rst_sent;
    if (fields.rst_received !== undefined) this.rst_received = fields.rst_received;
    if (band !== undefined) this.band = band;
    if (fields.locator !== undefined) this.locator = fields.locator;
    if (fields.queued_at !== undefined) this.queued_at = fields.queued_at;
    if (country !== null) {
      this.country = country.country;
      this.dxcc = country.dxcc;
      this.continent = country.continent;
      this.cq_zone = country.cq_zone;
    }
  }
}

/** The fields a reporter gave, without what `toLogEntry` derives: for correcting an entry. */
export function reportedFields(entry: LogEntry): LogEntryFields {
  const { country: _country, dxcc: _dxcc, continent: _continent, cq_zone: _cqZone, ...fields } = entry;
  return fields;
}

/** Start times this close, same call, band and mode: one QSO, whoever reported it. */
export const SAME_QSO_WINDOW_MS = 2 * 60_000;

/**
 * Whether two log entries are the same QSO reported twice (a bridge and an import of the
 * logger's own file, a logger and `admin_send_qso`): the same call on the same band and mode
 * family (USB is SSB), started within two minutes. A band or mode one of them lacks does not
 * tell them apart; a second QSO minutes later is a QSO of its own.
 */
export function sameQso(a: LogEntry, b: LogEntry): boolean {
  if (a.callsign !== b.callsign) return false;
  if (Math.abs(Date.parse(a.started_at) - Date.parse(b.started_at)) > SAME_QSO_WINDOW_MS) return false;
  const bandA = a.band ?? bandOf(a.frequency);
  const bandB = b.band ?? bandOf(b.frequency);
  if (bandA !== undefined && bandB !== undefined && bandA !== bandB) return false;
  const modeA = modeFamily(a.mode);
  const modeB = modeFamily(b.mode);
  return modeA === undefined || modeB === undefined || modeA === modeB;
}

/**
 * The entry first logged, with the fields it lacked taken from a later report of the same QSO;
 * it ends when the last report says it ended (a report of one instant knows no duration).
 */
export function mergeQso(first: LogEntry, later: LogEntry): LogEntry {
  const endedAt = Date.parse(later.ended_at) > Date.parse(first.ended_at) ? later.ended_at : first.ended_at;
  // toLogEntry gives a frequency the later report filled in its own band.
  return toLogEntry({ ...reportedFields(later), ...reportedFields(first), ended_at: endedAt });
}
