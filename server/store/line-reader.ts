/**
 * Reads a data file line by line, in chunks, never as one string: a file of any size loads in
 * memory that grows with what the caller keeps, not with the file (a string cannot hold more
 * than about 512 MiB in V8, and a log of repeated corrections grows past that).
 */
import { createReadStream } from 'node:fs';

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
