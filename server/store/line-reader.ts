/**
 * Reads a data file line by line, in chunks, never as one string: a file of any size loads in
 * memory that grows with what the caller keeps, not with the file (a string cannot hold more
 * than about 512 MiB in V8, and a log of repeated corrections grows past that). `readDataFile`
 * reads NeDB's format on top of that, for every data file of the store.
 */
import { createReadStream } from 'node:fs';
import { damagedLineId, keepBackup, type SkippedLine, skippedLine } from './damaged-lines.js';

export interface ReadSummary {
  exists: boolean;
  /** The last line has no newline: the write of it was cut short. */
  unterminated: boolean;
}

const CHUNK_BYTES = 1024 * 1024;
/** No document is near this long; a longer "line" (a damaged file without newlines) is kept only this far, and fails to parse. */
const MAX_LINE_CHARS = 16 * 1024 * 1024;

/** Calls `onLine` with every non-empty line of `filename` (1-based line numbers), in order. */
export async function readLines(filename: string, onLine: (line: string, lineNumber: number) => void): Promise<ReadSummary> {
  let carry = '';
  let lineNumber = 0;
  const emit = (line: string) => {
    lineNumber += 1;
    if (line !== '') onLine(line, lineNumber);
  };
  try {
    for await (const chunk of createReadStream(filename, { encoding: 'utf8', highWaterMark: CHUNK_BYTES }) as AsyncIterable<string>) {
      const pieces = chunk.split('\n');
      const rest = pieces.pop() as string;
      if (pieces.length > 0) {
        pieces[0] = carry + (pieces[0] as string);
        carry = '';
        for (const piece of pieces) emit(piece);
      }
      if (carry.length < MAX_LINE_CHARS) carry += rest.slice(0, MAX_LINE_CHARS - carry.length);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { exists: false, unterminated: false };
    throw error;
  }
  if (carry !== '') emit(carry);
  return { exists: true, unterminated: carry !== '' };
}

/** A document as NeDB's format stores it: `_id` first. */
export interface Doc {
  _id: string;
  [field: string]: unknown;
}

/** What a data file does with the lines it reads. */
export interface DocumentHandlers<T extends Doc> {
  /** Whether `doc` is one this file holds; any other line is reported as skipped. */
  accepts(doc: Doc): doc is T;
  /** A document, new or replacing the one with its `_id`. */
  put(doc: T, lineNumber: number): void;
  /** `{"_id","$$deleted":true}`. */
  remove(id: string, lineNumber: number): void;
}

export interface DataFileRead {
  skipped: SkippedLine[];
  /** Each skipped line with the `_id` it was about, where its start could still be read. */
  damage: { line: number; id: string | undefined }[];
  /** Where the untouched original was copied, when lines had to be skipped. */
  backup?: string;
  /** Skipped lines, or an unterminated last line: rewrite the file before appending to it. */
  needsRepair: boolean;
}

function isDoc(value: unknown): value is Doc {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as Doc)._id === 'string';
}

/** NeDB's index lines: nothing to load, and left out when the file is rewritten. */
function isIndexLine(value: unknown): boolean {
  return typeof value === 'object' && value !== null && ('$$indexCreated' in value || '$$indexRemoved' in value);
}

/**
 * Reads a data file in NeDB's format line by line: documents, replacements and removals go to
 * `handlers`; a line that is not one (torn, corrupt, `null`, of the wrong shape) is skipped and
 * reported, and the original is kept as `<name>.corrupt-<time>` before the file is repaired.
 */
export async function readDataFile<T extends Doc>(filename: string, now: () => number, handlers: DocumentHandlers<T>): Promise<DataFileRead> {
  const skipped: SkippedLine[] = [];
  const damage: DataFileRead['damage'] = [];
  const { unterminated } = await readLines(filename, (line, lineNumber) => {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      value = undefined;
    }
    if (isDoc(value) && value.$$deleted === true) handlers.remove(value._id, lineNumber);
    else if (isDoc(value) && handlers.accepts(value)) handlers.put(value, lineNumber);
    else if (!isIndexLine(value)) {
      skipped.push(skippedLine(filename, lineNumber, line));
      damage.push({ line: lineNumber, id: damagedLineId(line) });
    }
  });
  const backup = skipped.length > 0 ? await keepBackup(filename, now) : undefined;
  return { skipped, damage, ...(backup !== undefined && { backup }), needsRepair: skipped.length > 0 || unterminated };
}
