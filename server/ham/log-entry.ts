/**
 * The one way a QSO becomes a log entry, whoever reports it (the queue, `admin_send_qso`, a
 * bridge, an ADIF import, a logger's correction): the band follows the frequency when there is
 * one, the mode is normalised, and the callsign's country is looked up.
 */
import type { LogEntry } from '../protocol/entities.js';
import { bandOf } from './band.js';
import { countryFields } from './country.js';
import { normalizeMode } from './mode.js';

/** What a reporter knows of a QSO; derived fields (band from frequency, country) are filled in here. */
export type LogEntryFields = Omit<LogEntry, 'country' | 'dxcc' | 'continent' | 'cq_zone'>;

export function toLogEntry(fields: LogEntryFields): LogEntry {
  const { band: givenBand, mode: givenMode, ...rest } = fields;
  const band = bandOf(rest.frequency) ?? givenBand;
  const mode = normalizeMode(givenMode);
  return {
    ...rest,
    ...(mode !== undefined && { mode }),
    ...(band !== undefined && { band }),
    ...countryFields(rest.callsign),
  };
}

/** The fields a reporter gave, without what `toLogEntry` derives: for correcting an entry. */
export function reportedFields(entry: LogEntry): LogEntryFields {
  const { country: _country, dxcc: _dxcc, continent: _continent, cq_zone: _cqZone, ...fields } = entry;
  return fields;
}
