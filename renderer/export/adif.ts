/**
 * The QSO log as an ADIF 3.1.4 `.adi` file, built in the page from `admin_get_log` pages, so
 * any logger can import what the pileup worked.
 */
import type { LogEntry } from '../../server/protocol/replies.js';

export const ADIF_VERSION = '3.1.4';
const PROGRAM_ID = 'Pileup Buster';

/**
 * ADIF files are ASCII and each field carries its length; anything outside printable ASCII
 * would make the declared length disagree with what a logger reads, so it is dropped.
 */
function field(name: string, value: string | undefined): string {
  if (value === undefined) return '';
  const ascii = value.replace(/[^\x20-\x7e]/g, '');
  return ascii === '' ? '' : `<${name}:${ascii.length}>${ascii} `;
}

/** `2025-07-23T10:30:05.123Z` → ['20250723', '103005'] (ADIF dates and times are UTC). */
function dateAndTime(iso: string): [string, string] {
  const [date = '', time = ''] = iso.split('T');
  return [date.replaceAll('-', ''), time.slice(0, 8).replaceAll(':', '')];
}

/** ADIF has SSB and MFSK as modes; USB/LSB and FT4 are their submodes. */
function modeFields(mode: string | undefined): string {
  if (mode === undefined) return '';
  const upper = mode.toUpperCase();
  if (upper === 'USB' || upper === 'LSB') return field('MODE', 'SSB') + field('SUBMODE', upper);
  if (upper === 'FT4') return field('MODE', 'MFSK') + field('SUBMODE', 'FT4');
  return field('MODE', upper);
}

function record(entry: LogEntry): string {
  const [dateOn, timeOn] = dateAndTime(entry.started_at);
  const [dateOff, timeOff] = dateAndTime(entry.ended_at);
  return (
    field('CALL', entry.callsign) +
    field('QSO_DATE', dateOn) +
    field('TIME_ON', timeOn) +
    field('QSO_DATE_OFF', dateOff) +
    field('TIME_OFF', timeOff) +
    field('FREQ', entry.frequency) +
    modeFields(entry.mode) +
    field('RST_SENT', entry.rst_sent) +
    field('RST_RCVD', entry.rst_received) +
    '<EOR>\n'
  );
}

/** One `.adi` document; `entries` are written in the order given (oldest first reads best). */
export function toAdif(entries: readonly LogEntry[], programVersion: string, createdAt: Date): string {
  const [date, time] = dateAndTime(createdAt.toISOString());
  const header =
    `Pileup Buster QSO log, exported ${createdAt.toISOString()}\n` +
    field('ADIF_VER', ADIF_VERSION) +
    field('PROGRAMID', PROGRAM_ID) +
    field('PROGRAMVERSION', programVersion) +
    field('CREATED_TIMESTAMP', `${date} ${time}`) +
    '<EOH>\n';
  return header + entries.map(record).join('');
}

/** A file name that sorts by date: `pileup-log-20250723-103005.adi`. */
export function adifFileName(createdAt: Date): string {
  const [date, time] = dateAndTime(createdAt.toISOString());
  return `pileup-log-${date}-${time}.adi`;
}
