/**
 * One writer per data folder. Two servers on one folder (the desktop app beside `npm run
 * serve`, or `npm start` twice with different ports) would each keep their own state in memory
 * and overwrite each other's files: whichever wrote last wins, and acknowledged changes vanish.
 *
 * The lock is a file, `pileup.lock`, created atomically (`open` with `wx`) and holding who took
 * it: pid, host name, start time and — to tell a live holder from a dead one — the boot and the
 * process it belongs to. It is held for the process's life and removed on a clean close. A lock
 * left by a process that no longer exists (killed, crashed, the power cut) is taken over: on
 * the same host, the holder is gone when its pid is not running, when that pid now belongs to a
 * process started later (pid reuse), or when the machine has booted since. A lock from another
 * host (a shared network folder) cannot be judged from here and is respected; the error says
 * which file to delete if that host is really not running Pileup Buster.
 *
 * Why not `proper-lockfile`: it judges staleness by the lock's age and keeps it fresh with a
 * timer, so a holder whose event loop stalls (a laptop waking from sleep, a long compaction)
 * loses its lock to a second process, and a dead holder's lock blocks for its whole stale time.
 * The pid is the reliable signal on one host.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { open, readFile, rename, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { isoAt } from '../time/clock.js';
import { syncDirectory } from './append-file.js';

export const LOCK_FILE = 'pileup.lock';

export interface LockHolder {
  pid: number;
  host: string;
  /** When the holder took the lock (ISO UTC). */
  started_at: string;
  /** Linux: the kernel's id of this boot. */
  boot_id?: string;
  /** Linux: the holder's start in clock ticks after boot, to recognise a reused pid. */
  process_start?: string;
  /** Elsewhere: when the machine booted (s since 1970), as far as the clock tells. */
  booted_at?: number;
  /** Tells this holder's lock from a later one with the same content otherwise. */
  nonce: string;
}

/** Another Pileup Buster holds the folder. */
export class DataDirLocked extends Error {
  constructor(
    readonly dataDir: string,
    readonly lockFile: string,
    /** Null when the lock file could not be read (it is being written right now). */
    readonly holder: LockHolder | null,
  ) {
    const who =
      holder === null
        ? 'another Pileup Buster that is starting up'
        : `another Pileup Buster (pid ${holder.pid} on ${holder.host}, since ${holder.started_at})`;
    super(`the data directory ${dataDir} is in use by ${who}`);
    this.name = 'DataDirLocked';
  }
}

/** A lock file that cannot be read and is younger than this is still being written. */
const UNREADABLE_GRACE_MS = 10_000;
const ATTEMPTS = 20;
/** Without a boot id, a boot time that differs by more than this means the machine rebooted. */
const REBOOT_TOLERANCE_S = 3600;

/** Locks this process holds, by lock file; shared by every copy of this module in the process. */
const held: Map<string, string> = ((globalThis as { [key: symbol]: Map<string, string> | undefined })[
  Symbol.for('pileup-buster.held-locks')
] ??= new Map<string, string>());

function linuxBootId(): string | undefined {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** Field 22 of /proc/<pid>/stat: when the process started, in clock ticks after boot. */
function linuxProcessStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function bootedAt(now: number): number {
  return Math.round(now / 1000 - os.uptime());
}

function identity(now: number): Omit<LockHolder, 'started_at' | 'nonce'> {
  const bootId = linuxBootId();
  const start = bootId === undefined ? undefined : linuxProcessStart(process.pid);
  return {
    pid: process.pid,
    host: os.hostname(),
    ...(bootId !== undefined ? { boot_id: bootId } : { booted_at: bootedAt(now) }),
    ...(start !== undefined && { process_start: start }),
  };
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, it is someone else's.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function parseHolder(text: string): LockHolder | null {
  try {
    const value = JSON.parse(text) as Partial<LockHolder>;
    if (typeof value.pid !== 'number' || typeof value.host !== 'string' || typeof value.nonce !== 'string') return null;
    return { started_at: '?', ...value } as LockHolder;
  } catch {
    return null;
  }
}

/** Whether the process that wrote `holder` is certainly gone. */
function holderIsGone(holder: LockHolder, lockFile: string, now: number): boolean {
  if (holder.host !== os.hostname()) return false;
  if (holder.pid === process.pid) return held.get(lockFile) !== holder.nonce;
  const bootId = linuxBootId();
  if (holder.boot_id !== undefined && bootId !== undefined) {
    if (holder.boot_id !== bootId) return true;
  } else if (holder.booted_at !== undefined && Math.abs(holder.booted_at - bootedAt(now)) > REBOOT_TOLERANCE_S) {
    return true;
  }
  if (!isRunning(holder.pid)) return true;
  return holder.process_start !== undefined && linuxProcessStart(holder.pid) !== holder.process_start;
}

async function readIfExists(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** Creates the lock file with `text` unless it exists; a failed write leaves no lock behind. */
async function tryCreate(lockFile: string, text: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(lockFile, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    await handle.writeFile(text, 'utf8');
    await handle.datasync();
  } catch (error) {
    await handle.close();
    await rm(lockFile, { force: true });
    throw error;
  }
  await handle.close();
  await syncDirectory(path.dirname(lockFile));
  return true;
}

/**
 * Moves a dead holder's lock out of the way. Two processes may judge the same lock dead at
 * once: only one can move it; the other finds the lock it moved is not the dead one, puts it
 * back, and judges again.
 */
async function takeOver(lockFile: string, deadText: string): Promise<void> {
  const aside = `${lockFile}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await rename(lockFile, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if ((await readIfExists(aside)) === deadText) await rm(aside, { force: true });
  else await rename(aside, lockFile);
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class DataDirLock {
  private released = false;

  private constructor(
    readonly lockFile: string,
    private readonly nonce: string,
  ) {}

  /** Takes the folder's lock, taking over one left by a process that is gone; DataDirLocked if it is held. */
  static async acquire(dataDir: string, now: () => number = Date.now): Promise<DataDirLock> {
    const lockFile = path.join(path.resolve(dataDir), LOCK_FILE);
    const nonce = randomBytes(8).toString('hex');
    const at = now();
    const mine: LockHolder = { ...identity(at), started_at: isoAt(at), nonce };
    const text = `${JSON.stringify(mine)}\n`;
    let last: LockHolder | null = null;
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      if (held.has(lockFile)) throw new DataDirLocked(dataDir, lockFile, parseHolder((await readIfExists(lockFile)) ?? ''));
      if (await tryCreate(lockFile, text)) {
        held.set(lockFile, nonce);
        return new DataDirLock(lockFile, nonce);
      }
      const found = await readIfExists(lockFile);
      if (found === null) continue;
      last = parseHolder(found);
      if (last === null) {
        // Empty or torn: being written this very moment, or left by a crash while it was.
        const age = Date.now() - (await stat(lockFile).then((s) => s.mtimeMs, () => Date.now()));
        if (age < UNREADABLE_GRACE_MS) {
          await pause(50);
          continue;
        }
      } else if (!holderIsGone(last, lockFile, now())) {
        throw new DataDirLocked(dataDir, lockFile, last);
      }
      await takeOver(lockFile, found);
    }
    throw new DataDirLocked(dataDir, lockFile, last);
  }

  /** Removes the lock file, if it is still this holder's. */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    held.delete(this.lockFile);
    const found = await readIfExists(this.lockFile);
    if (found === null || parseHolder(found)?.nonce !== this.nonce) return;
    await rm(this.lockFile, { force: true });
    await syncDirectory(path.dirname(this.lockFile)).catch(() => undefined);
  }
}
