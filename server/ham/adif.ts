/**
 * The QSO log as ADIF (`.adi`), written and read with adif-parser-ts. Export yields the file in
 * chunks, so 100,000 QSOs stream out without building one huge string; import reads a file in
 * pieces (adif-records.ts cuts it into records), turning records back into log entries and
 * saying which it skipped and why. Modes follow ADIF's tables (adif-modes.ts).
 *
 * Nothing is invented: a QSO with a band and no frequency exports (and imports) band only.
 * ADIF times have whole seconds. Our own fields travel as application-defined fields
 * (`APP_PILEUPBUSTER_*`), so an export re-imports to the same entries and importing the same file
 * twice replaces rather than duplicates.
 */
import { createHash } from 'node:crypto';
import adifParser from 'adif-parser-ts';
import { z } from 'zod';
import { normalizeCallsign } from '../protocol/callsign.js';
import { normalizeLocator } from '../protocol/locator.js';
import { summarize } from '../protocol/summary.js';
import type { LogEntry } from '../protocol/entities.js';
import { isSaneTimestamp } from '../protocol/timestamp.js';
import { bandOf } from './band.js';
import { fromAdifMode, toAdifMode } from './adif-modes.js';
import { AdifRecordSplitter } from './adif-records.js';
import { toLogEntry } from './log-entry.js';

const { AdifFormatter, AdifParser } = adifParser;

/** The version whose Mode and Submode tables adif-modes.ts holds. */
export const ADIF_VERSION = '3.1.7';
const PROGRAM_ID = 'PileupBuster';
const APP_SOURCE = 'APP_PILEUPBUSTER_SOURCE';
const APP_QSO_ID = 'APP_PILEUPBUSTER_QSO_ID';
const APP_MODE = 'APP_PILEUPBUSTER_MODE';
/** Records per chunk of an export. */
const CHUNK = 500;

type Fields = Record<string, string>;

/** `2025-07-23T10:30:05.123Z` → ['20250723', '103005']. */
function dateAndTime(iso: string): [string, string] {
  const [date = '', time = ''] = iso.split('T');
  return [date.replaceAll('-', ''), time.slice(0, 8).replaceAll(':', '')];
}

/** The mode as ADIF writes it; one no ADIF table knows travels in our own field, never as an invalid MODE. */
function modeFields(mode: string | undefined): Fields {
  if (mode === undefined) return {};
  const adif = toAdifMode(mode);
  if ('unknown' in adif) return { [APP_MODE]: adif.unknown };
  return adif.submode === undefined ? { MODE: adif.mode } : { MODE: adif.mode, SUBMODE: adif.submode };
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
/** A field we can do without: anything unusable in it is dropped, the record is kept. */
const optionalText = (max: number) => z.string().trim().min(1).max(max).optional().catch(undefined);

/** What an imported record must have; field names are lower case after parsing. */
const importedRecord = z.object({
  call: z.string(),
  qso_date: adifDate,
  time_on: adifTime,
  qso_date_off: adifDate.optional().catch(undefined),
  time_off: adifTime.optional().catch(undefined),
  freq: z.string().trim().regex(/^\d{1,6}(\.\d{1,9})?$/).optional().catch(undefined),
  band: z.string().trim().regex(/^\d{1,4}(\.\d{1,3})?(mm|cm|m)$/i).optional().catch(undefined),
  mode: optionalText(32),
  submode: optionalText(32),
  rst_sent: optionalText(8),
  rst_rcvd: optionalText(8),
  gridsquare: optionalText(12),
  app_pileupbuster_source: optionalText(64),
  app_pileupbuster_qso_id: optionalText(64),
  app_pileupbuster_mode: optionalText(16),
});

function isoFrom(date: string, time: string): string | undefined {
  const iso = `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${time.slice(0, 2)}:${time.slice(2, 4)}:${time.slice(4, 6) || '00'}.000Z`;
  const ms = Date.parse(iso);
  // Date.parse rolls 2025-02-30 over into March; a date that does not round-trip is not a date.
  return Number.isNaN(ms) || new Date(ms).toISOString() !== iso ? undefined : iso;
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

/** Why a record was not imported; the console lists these. */
export const SKIP_REASONS = {
  callsign: 'no callsign, or one that is not a valid callsign',
  time: 'no usable QSO_DATE or TIME_ON',
  range: 'timed before 1930 or more than a day ahead of this computer',
  unreadable: 'not readable as an ADIF record (a broken tag or field length)',
  trailing: 'text after the last <EOR> that is not a whole record',
} as const;
export type SkipReason = keyof typeof SKIP_REASONS;

type Reading = { entry: LogEntry } | { skip: SkipReason };

/** One parsed ADIF record (lower-case field names) as a log entry, or why it is unusable. */
function readRecord(record: Fields, { now, source = 'adif_import' }: AdifReading): Reading {
  const parsed = importedRecord.safeParse(record);
  if (!parsed.success) return { skip: parsed.error.issues.some((issue) => issue.path[0] === 'call') ? 'callsign' : 'time' };
  const fields = parsed.data;
  const callsign = normalizeCallsign(fields.call);
  if (callsign === null) return { skip: 'callsign' };
  const startedAt = isoFrom(fields.qso_date, fields.time_on);
  if (startedAt === undefined) return { skip: 'time' };
  const endedAt =
    (fields.time_off !== undefined ? isoFrom(fields.qso_date_off ?? fields.qso_date, fields.time_off) : undefined) ?? startedAt;
  if (!isSaneTimestamp(Date.parse(startedAt), now) || !isSaneTimestamp(Date.parse(endedAt), now)) return { skip: 'range' };
  const mode = fields.app_pileupbuster_mode ?? fromAdifMode(fields.mode, fields.submode);
  return {
    entry: toLogEntry({
      qso_id: fields.app_pileupbuster_qso_id ?? importedId(fields, callsign),
      callsign,
      started_at: startedAt,
      ended_at: endedAt,
      source: fields.app_pileupbuster_source ?? source,
      ...(fields.freq !== undefined && { frequency: String(Number(fields.freq)) }),
      ...(mode !== undefined && { mode }),
      ...(fields.rst_sent !== undefined && { rst_sent: fields.rst_sent }),
      ...(fields.rst_rcvd !== undefined && { rst_received: fields.rst_rcvd }),
      ...(fields.band !== undefined && { band: fields.band.toLowerCase() }),
      ...(normalizeLocator(fields.gridsquare) !== null && { locator: normalizeLocator(fields.gridsquare) as string }),
    }),
  };
}

export interface SkippedRecords {
  reason: SkipReason;
  count: number;
  /** The first such record's number in the file (1 = the first record), to find it; null for trailing text. */
  first_record: number | null;
  /** The trailing text itself (cut to a summary). */
  text?: string;
}

export interface ParsedAdif {
  entries: LogEntry[];
  /** Records (and trailing text) not imported, by reason. */
  skipped: SkippedRecords[];
}

/** The fields whose values repeat across the records of a log. */
const SHARED_FIELDS = ['callsign', 'frequency', 'mode', 'rst_sent', 'rst_received', 'band', 'locator'] as const satisfies readonly (keyof LogEntry)[];

/** Reads records with adif-parser-ts; a batch it cannot read is read record by record. */
function parseRecords(texts: readonly string[]): (Fields | null)[] {
  try {
    const { records = [] } = AdifParser.parseAdi(texts.join('\n'));
    if (records.length === texts.length) return records;
  } catch {
    // One broken record: find it below.
  }
  return texts.map((text) => {
    try {
      return AdifParser.parseAdi(text).records?.[0] ?? null;
    } catch {
      return null;
    }
  });
}

/**
 * An ADIF file read in pieces: `push` each piece of text as it arrives, take the entries of the
 * records it completed, and `end` once the text is over.
 */
export class AdifImport {
  private readonly splitter = new AdifRecordSplitter();
  private readonly skips = new Map<SkipReason, SkippedRecords>();
  /** Digests of the records read so far, with why each was skipped (null: imported). */
  private readonly seen = new Map<string, SkipReason | null>();
  /**
   * One copy of each short field value (a call worked many times, `59`, `FT8`, `20m`, a
   * locator): read from the file, every record would hold copies of its own, and the log of a
   * big import would take a fifth more memory than the same log loaded at start-up, where
   * JSON.parse shares short values.
   */
  private readonly values = new Map<string, string>();
  private records = 0;
  private repeats = 0;

  constructor(private readonly reading: AdifReading) {}

  /** The entries of the records completed by this piece, in file order. */
  push(text: string): LogEntry[] {
    // A record repeated byte for byte is not read again: it counts as a repeat of its QSO (or
    // is skipped again, for the reason the first one was).
    const records = this.splitter.push(text).map((record) => {
      this.records += 1;
      return { text: record, number: this.records, digest: createHash('sha256').update(record).digest('base64') };
    });
    const fresh = records.filter(({ digest }) => {
      if (this.seen.has(digest)) return false;
      this.seen.set(digest, null);
      return true;
    });
    const entries: LogEntry[] = [];
    const firsts = new Set<number>();
    parseRecords(fresh.map((record) => record.text)).forEach((parsed, index) => {
      const { number, digest } = fresh[index] as (typeof fresh)[number];
      firsts.add(number);
      const read: Reading = parsed === null ? { skip: 'unreadable' } : readRecord(parsed, this.reading);
      if ('entry' in read) entries.push(this.sharing(read.entry));
      else this.seen.set(digest, read.skip);
    });
    for (const { number, digest } of records) {
      const skipped = this.seen.get(digest) ?? null;
      if (skipped !== null) this.skip(skipped, number);
      else if (!firsts.has(number)) this.repeats += 1;
    }
    return entries;
  }

  /** The text is over: anything after the last record is reported, never read. */
  end(): SkippedRecords[] {
    const rest = this.splitter.end();
    if (rest !== '') this.skips.set('trailing', { reason: 'trailing', count: 1, first_record: null, text: summarize(rest) });
    return [...this.skips.values()];
  }

  /** Records seen so far (imported, repeated or skipped). */
  get recordCount(): number {
    return this.records;
  }

  /** Records that repeated an earlier record of the file byte for byte (not read again). */
  get repeatCount(): number {
    return this.repeats;
  }

  private sharing(entry: LogEntry): LogEntry {
    for (const field of SHARED_FIELDS) {
      const value = entry[field];
      if (value === undefined) continue;
      const shared = this.values.get(value);
      if (shared === undefined) this.values.set(value, value);
      else entry[field] = shared;
    }
    return entry;
  }

  private skip(reason: SkipReason, record: number | null): void {
    const known = this.skips.get(reason);
    if (known === undefined) this.skips.set(reason, { reason, count: 1, first_record: record });
    else known.count += 1;
  }
}

/** Parses a whole `.adi` text (a WSJT-X Logged ADIF datagram, a test's file). */
export function parseAdif(text: string, reading: AdifReading): ParsedAdif {
  const reader = new AdifImport(reading);
  const entries = reader.push(text);
  return { entries, skipped: reader.end() };
}
