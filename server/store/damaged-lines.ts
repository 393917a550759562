/**
 * Lines of a data file that could not be read: what the operator is told about them, and the
 * untouched original kept beside the file before they are dropped for good.
 */
import { constants } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import path from 'node:path';
import { summarize } from '../protocol/summary.js';

export interface SkippedLine {
  file: string;
  line: number;
  preview: string;
}

export function skippedLine(filename: string, line: number, text: string): SkippedLine {
  return { file: path.basename(filename), line, preview: summarize(text) };
}

/**
 * The `_id` a damaged line was about, when its start survived: documents are written with
 * `_id` first, and a write cut short loses the end of a line, not its beginning.
 */
export function damagedLineId(text: string): string | undefined {
  const match = /^\{(?:"\$\$deleted":true,)?"_id":("(?:[^"\\]|\\.)*")/.exec(text);
  if (match?.[1] === undefined) return undefined;
  try {
    return JSON.parse(match[1]) as string;
  } catch {
    return undefined;
  }
}

/** Copies the untouched original beside it, never over an earlier backup (the clock may stand still). */
export async function keepBackup(filename: string, now: () => number): Promise<string> {
  const stamp = new Date(now()).toISOString().replace(/[:.]/g, '-');
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
