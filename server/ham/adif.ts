/**
 * The QSO log as ADIF 3.1 (`.adi`), written and read with adif-parser-ts. Export yields the file
 * in chunks, so 100,000 QSOs stream out without building one huge string; import turns records
 * back into log entries, skipping (and counting) the ones it cannot use.
 *
 * ADIF times have whole seconds. Our own fields travel as application-defined fields
 * (`APP_PILEUPBUSTER_*`), so an export re-imports to the same entries and importing the same file
 * twice replaces rather than duplicates.
 */
import { createHash } from 'node:crypto';
import adifParser from 'adif-parser-ts';
import { z } from 'zod';
import { normalizeCallsign } from '../protocol/callsign.js';
import { normalizeLocator } from '../protocol/locator.js';
import type { LogEntry } from '../protocol/entities.js';
import { isSaneTimestamp } from '../protocol/timestamp.js';
import { bandEdgeMhz, bandOf } from './band.js';
import { toLogEntry } from './log-entry.js';

const { AdifFormatter, AdifParser } = adifParser;

export const ADIF_VERSION = '3.1.4';
const PROGRAM_ID = 'PileupBuster';
const APP_SOURCE = 'APP_PILEUPBUSTER_SOURCE';
const APP_QSO_ID = 'APP_PILEUPBUSTER_QSO_ID';
/** Records per chunk of an export. */
const CHUNK = 500;

type Fields = Record<string, string>;

/** `2025-07-23T10:30:05.123Z` → ['20250723', '103005']. */
function dateAndTime(iso: string): [string, string] {
  const [date = '', time = ''] = iso.split('T');
  return [date.replaceAll('-', ''), time.slice(0, 8).replaceAll(':', '')];
}

/** ADIF has SSB and MFSK as modes; USB/LSB and FT4 are their submodes. */
function modeFields(mode: string | undefined): Fields {
  if (mode === undefined) return {};
  const upper = mode.toUpperCase();
  if (upper === 'USB' || upper === 'LSB') return { MODE: 'SSB', SUBMODE: upper };
  if (upper === 'FT4') return { MODE: 'MFSK', SUBMODE: 'FT4' };
  return { MODE: upper };
}

/** ADIF is ASCII and every field declares its length: anything else would corrupt the file. */
function ascii(fields: Record<string, string | number | undefined>): Fields {
  const out: Fields = {};
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    const text = String(value).replace(/[^\x20-\x7e]/g, '');
    if (text !== '') out[name] = text;
  }
  return out;
}

export function adifRecordFields(entry: LogEntry): Fields {
  const [dateOn, timeOn] = dateAndTime(entry.started_at);
  const [dateOff, timeOff] = dateAndTime(entry.ended_at);
  return ascii({
    CALL: entry.callsign,
    QSO_DATE: dateOn,
    TIME_ON: timeOn,
    QSO_DATE_OFF: dateOff,
    TIME_OFF: timeOff,
    FREQ: entry.frequency,
    BAND: entry.band ?? bandOf(entry.frequency),
    ...modeFields(entry.mode),
    RST_SENT: entry.rst_sent,
    RST_RCVD: entry.rst_received,
    GRIDSQUARE: entry.locator,
    COUNTRY: entry.country,
    DXCC: entry.dxcc,
    CONT: entry.continent,
    CQZ: entry.cq_zone,
    [APP_SOURCE]: entry.source,
    [APP_QSO_ID]: entry.qso_id,
  });
}

export function adifHeader(programVersion: string, createdAt: Date): string {
  const [date, time] = dateAndTime(createdAt.toISOString());
  return AdifFormatter.formatAdi({
    header: {
      text: `Pileup Buster QSO log, exported ${createdAt.toISOString()}`,
      ADIF_VER: ADIF_VERSION,
      PROGRAMID: PROGRAM_ID,
      PROGRAMVERSION: programVersion,
      CREATED_TIMESTAMP: `${date} ${time}`,
    },
  });
}

/** The whole file, header first, in chunks of records: pipe it with `Readable.from`. */
export function* adifChunks(entries: Iterable<LogEntry>, programVersion: string, createdAt: Date): Generator<string> {
  yield adifHeader(programVersion, createdAt);
  let batch: Fields[] = [];
  for (const entry of entries) {
    batch.push(adifRecordFields(entry));
    if (batch.length === CHUNK) {
      yield AdifFormatter.formatAdi({ records: batch });
      batch = [];
    }
  }
  if (batch.length > 0) yield AdifFormatter.formatAdi({ records: batch });
}

export function toAdif(entries: Iterable<LogEntry>, programVersion: string, createdAt: Date): string {
  return [...adifChunks(entries, programVersion, createdAt)].join('');
}

/** A file name that sorts by date: `pileup-log-20250723-103005.adi`. */
export function adifFileName(createdAt: Date): string {
  const [date, time] = dateAndTime(createdAt.toISOString());
  return `pileup-log-${date}-${time}.adi`;
}

const adifDate = z.string().regex(/^\d{8}$/);
const adifTime = z.string().regex(/^\d{4}(\d{2})?$/);
const optionalText = z.string().trim().min(1).max(64).optional();

/** What an imported record must have; field names are lower case after parsing. */
const importedRecord = z.object({
  call: z.string(),
  qso_date: adifDate,
  time_on: adifTime,
  qso_date_off: adifDate.optional(),
  time_off: adifTime.optional(),
  freq: z.string().regex(/^\d{1,6}(\.\d{1,9})?$/).optional(),
  band: optionalText,
  mode: optionalText,
  submode: optionalText,
  rst_sent: z.string().trim().max(8).optional(),
  rst_rcvd: z.string().trim().max(8).optional(),
  gridsquare: optionalText,
  app_pileupbuster_source: optionalText,
  app_pileupbuster_qso_id: optionalText,
});

function isoFrom(date: string, time: string): string | undefined {
  const iso = `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${time.slice(0, 2)}:${time.slice(2, 4)}:${time.slice(4, 6) || '00'}.000Z`;
  return Number.isNaN(Date.parse(iso)) ? undefined : new Date(iso).toISOString();
}

function modeFrom(mode: string | undefined, submode: string | undefined): string | undefined {
  const upper = mode?.toUpperCase();
  const sub = submode?.toUpperCase();
  if (upper === 'SSB' && (sub === 'USB' || sub === 'LSB')) return sub;
  if (upper === 'MFSK' && sub === 'FT4') return 'FT4';
  return upper;
}

/** A stable id for a record without ours, so importing the same file twice replaces, not duplicates. */
function importedId(fields: z.infer<typeof importedRecord>, callsign: string): string {
  const key = [callsign, fields.qso_date, fields.time_on, fields.band ?? fields.freq ?? '', fields.mode ?? ''].join('|');
  return `adif-${createHash('sha256').update(key).digest('hex').slice(0, 20)}`;
}

export interface AdifReading {
  /** The server's clock (epoch ms): a record timed after one day from now is skipped. */
  now: number;
  /** `source` of records that do not carry ours. */
  source?: string;
}

/**
 * One parsed ADIF record (lower-case field names) as a log entry, or null when it is unusable: no
 * usable callsign, date or time, or a time outside the sane range (protocol/timestamp.ts).
 */
export function entryFromAdif(record: Fields, { now, source = 'adif_import' }: AdifReading): LogEntry | null {
  const parsed = importedRecord.safeParse(record);
  if (!parsed.success) return null;
  const fields = parsed.data;
  const callsign = normalizeCallsign(fields.call);
  const startedAt = isoFrom(fields.qso_date, fields.time_on);
  if (callsign === null || startedAt === undefined) return null;
  const endedAt =
    (fields.time_off !== undefined ? isoFrom(fields.qso_date_off ?? fields.qso_date, fields.time_off) : undefined) ?? startedAt;
  if (!isSaneTimestamp(Date.parse(startedAt), now) || !isSaneTimestamp(Date.parse(endedAt), now)) return null;
  const frequency = fields.freq ?? (fields.band !== undefined ? bandEdgeMhz(fields.band) : undefined);
  const mode = modeFrom(fields.mode, fields.submode);
  return toLogEntry({
    qso_id: fields.app_pileupbuster_qso_id ?? importedId(fields, callsign),
    callsign,
    started_at: startedAt,
    ended_at: endedAt,
    source: fields.app_pileupbuster_source ?? source,
    ...(frequency !== undefined && { frequency }),
    ...(mode !== undefined && { mode }),
    ...(fields.rst_sent !== undefined && fields.rst_sent !== '' && { rst_sent: fields.rst_sent }),
    ...(fields.rst_rcvd !== undefined && fields.rst_rcvd !== '' && { rst_received: fields.rst_rcvd }),
    ...(fields.band !== undefined && { band: fields.band.toLowerCase() }),
    ...(normalizeLocator(fields.gridsquare) !== null && { locator: normalizeLocator(fields.gridsquare) as string }),
  });
}

export interface ParsedAdif {
  entries: LogEntry[];
  /** Records without a usable callsign, date or time, or timed outside the sane range. */
  skipped: number;
}

/** Parses a whole `.adi` document; throws when it is not ADIF at all. */
export function parseAdif(text: string, reading: AdifReading): ParsedAdif {
  const { records = [] } = AdifParser.parseAdi(text);
  const entries: LogEntry[] = [];
  let skipped = 0;
  for (const record of records) {
    const entry = entryFromAdif(record, reading);
    if (entry === null) skipped += 1;
    else entries.push(entry);
  }
  return { entries, skipped };
}
