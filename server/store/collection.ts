/**
 * Opens one NeDB collection so that a torn or corrupt line never stops start-up.
 *
 * NeDB refuses to load a file whose corrupt share exceeds `corruptAlertThreshold` (by default
 * one bad line in a five-line file). We load strictly first; only when that fails because of
 * corruption do we find the bad lines, keep a copy of the original file beside it, and load
 * again leniently. The caller gets the list of skipped lines to show the operator.
 */
import { constants } from 'node:fs';
import { copyFile, readFile } from 'node:fs/promises';
import path from 'node:path';
import Datastore from 'nedb-promises';
import { summarize } from '../protocol/summary.js';

export type Collection = ReturnType<typeof Datastore.create>;

export interface SkippedLine {
  file: string;
  line: number;
  preview: string;
}

export interface OpenedCollection {
  collection: Collection;
  skipped: SkippedLine[];
  /** Where the untouched original was copied before the bad lines were dropped. */
  backup?: string;
}

interface CorruptionError extends Error {
  corruptItems: number;
}

function isCorruptionError(error: unknown): error is CorruptionError {
  return error instanceof Error && typeof (error as Partial<CorruptionError>).corruptItems === 'number';
}

/** The underlying @seald-io/nedb datastore: some of its methods throw through the proxy. */
export function underlying(collection: Collection): {
  stopAutocompaction(): void;
  setAutocompactionInterval(ms: number): void;
  compactDatafileAsync(): Promise<void>;
} {
  return (collection as unknown as { __original: ReturnType<typeof underlying> }).__original;
}

async function findCorruptLines(filename: string): Promise<SkippedLine[]> {
  const text = await readFile(filename, 'utf8');
  const skipped: SkippedLine[] = [];
  text.split('\n').forEach((line, index) => {
    if (line === '') return;
    try {
      // NeDB also rejects a `null` line (it reads `_id` off every parsed line).
      if (JSON.parse(line) === null) throw new Error('null document');
    } catch {
      skipped.push({ file: path.basename(filename), line: index + 1, preview: summarize(line) });
    }
  });
  return skipped;
}

/** Copies the untouched original beside it, never over an earlier backup (the clock may stand still). */
export async function keepBackup(filename: string, stamp: string): Promise<string> {
  for (let n = 1; ; n++) {
    const backup = `${filename}.corrupt-${stamp}${n === 1 ? '' : `-${n}`}`;
    try {
      await copyFile(filename, backup, constants.COPYFILE_EXCL);
      return backup;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

export async function openCollection(filename: string, now: () => number): Promise<OpenedCollection> {
  const strict = Datastore.create({ filename, corruptAlertThreshold: 0 });
  try {
    await strict.load();
    return { collection: strict, skipped: [] };
  } catch (error) {
    if (!isCorruptionError(error)) throw error;
  }
  const skipped = await findCorruptLines(filename);
  const backup = await keepBackup(filename, new Date(now()).toISOString().replace(/[:.]/g, '-'));
  const lenient = Datastore.create({ filename, corruptAlertThreshold: 1 });
  await lenient.load();
  return { collection: lenient, skipped, backup };
}
