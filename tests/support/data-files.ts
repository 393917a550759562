/**
 * Reading the NeDB files of a data directory as they are on disk, so tests can check what was
 * really written (compaction, hashing) rather than what the server says about it.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

export type DataFile = 'state.db' | 'log.db' | 'sessions.db' | 'settings.db';

/** The non-empty lines of a data file. */
export async function dataLines(dataDir: string, file: DataFile): Promise<string[]> {
  const text = await readFile(path.join(dataDir, file), 'utf8');
  return text.split('\n').filter((line) => line !== '');
}

export async function dataText(dataDir: string, file: DataFile): Promise<string> {
  return readFile(path.join(dataDir, file), 'utf8');
}

/**
 * True when every line parses and names a distinct document (or index): what a compacted NeDB
 * file looks like. An appended update would repeat an `_id`.
 */
export async function isCompacted(dataDir: string, file: DataFile): Promise<boolean> {
  const ids = (await dataLines(dataDir, file)).map((line) => {
    const doc = JSON.parse(line) as { _id?: string; $$indexCreated?: { fieldName: string } };
    return doc._id ?? `$$index:${doc.$$indexCreated?.fieldName ?? '?'}`;
  });
  return new Set(ids).size === ids.length;
}

/** Backup copies the store made of corrupt files (`<file>.corrupt-<time>`). */
export async function corruptBackups(dataDir: string, file: DataFile): Promise<string[]> {
  const names = await readdir(dataDir);
  return names.filter((name) => name.startsWith(`${file}.corrupt-`)).map((name) => path.join(dataDir, name));
}
