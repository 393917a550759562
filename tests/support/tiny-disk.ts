/**
 * A real, tiny file system for the full-disk tests: a size-limited tmpfs the test mounts (as
 * root) and fills up. Where it cannot be mounted (not root, no mount permission in a container)
 * the tests are skipped with a loud message, or fail when E2E_REQUIRED=1 (.ci/run runs as root).
 */
import { open, mkdtemp, rm, rmdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { e2eRequired, warnSkipped } from './e2e-required.js';
import { runCommand } from './run-command.js';

export interface TinyDisk {
  dir: string;
  /** Writes a filler file until the disk refuses another byte. */
  fill(): Promise<void>;
  /** Deletes the filler: space is back. */
  free(): Promise<void>;
  unmount(): Promise<void>;
}

/** Mounts a tmpfs of `size` (e.g. '1m'); null (after a loud warning) when that is not possible here. */
export async function mountTinyDisk(size: string): Promise<TinyDisk | null> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pileup-tiny-disk-'));
  try {
    await runCommand('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0700`, 'tmpfs', dir]);
  } catch (error) {
    await rmdir(dir).catch(() => undefined);
    const why = (error as Error).message;
    if (e2eRequired) throw new Error(`E2E_REQUIRED=1 but a tmpfs cannot be mounted (run as root): ${why}`, { cause: error });
    warnSkipped('FULL-DISK TESTS', `cannot mount a tmpfs here (${why})`, 'Run them as root');
    return null;
  }
  const filler = path.join(dir, 'filler');
  return {
    dir,
    async fill() {
      const handle = await open(filler, 'a');
      try {
        for (const size of [64 * 1024, 4096, 1]) {
          const chunk = Buffer.alloc(size, 0x2e);
          for (;;) {
            try {
              const { bytesWritten } = await handle.write(chunk);
              if (bytesWritten < size) break;
            } catch (error) {
              if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
              break;
            }
          }
        }
      } finally {
        await handle.close();
      }
    },
    async free() {
      await rm(filler, { force: true });
    },
    async unmount() {
      await runCommand('umount', [dir]);
      await rmdir(dir);
    },
  };
}
