/**
 * The data folder's lock, judged in-process against lock files written the way a live, a dead,
 * a rebooted-away or a remote holder leaves them. The two-process tests (tests/cli/one-writer.test.ts)
 * run real servers against each other.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readFile, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDirLock, DataDirLocked, LOCK_FILE, type LockHolder } from '../../server/store/data-dir-lock.js';
import { makeDataDir } from '../support/harness.js';

const dirs: string[] = [];
const locks: DataDirLock[] = [];

afterEach(async () => {
  await Promise.all(locks.splice(0).map((lock) => lock.release()));
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function freshDir(): Promise<string> {
  const dir = await makeDataDir();
  dirs.push(dir);
  return dir;
}

async function acquire(dir: string): Promise<DataDirLock> {
  const lock = await DataDirLock.acquire(dir);
  locks.push(lock);
  return lock;
}

async function holderIn(dir: string): Promise<LockHolder> {
  return JSON.parse(await readFile(path.join(dir, LOCK_FILE), 'utf8')) as LockHolder;
}

async function writeLock(dir: string, holder: Partial<LockHolder>): Promise<void> {
  const lock = { pid: 1, host: os.hostname(), started_at: '2025-07-23T10:00:00.000Z', nonce: 'theirs', ...holder };
  await writeFile(path.join(dir, LOCK_FILE), JSON.stringify(lock));
}

/** The pid of a process that has just exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.once('exit', resolve));
  if (child.pid === undefined) throw new Error('no pid');
  return child.pid;
}

const onLinux = process.platform === 'linux';
const bootId = onLinux ? readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() : undefined;
function processStart(pid: number): string | undefined {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
}

describe('one writer per data folder', () => {
  it('writes who holds the folder into pileup.lock, and removes it on release', async () => {
    const dir = await freshDir();
    const lock = await acquire(dir);
    expect(await holderIn(dir)).toMatchObject({
      pid: process.pid,
      host: os.hostname(),
      started_at: expect.stringMatching(/Z$/) as unknown,
    });
    await lock.release();
    await expect(readFile(path.join(dir, LOCK_FILE))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('refuses a second holder and names the first', async () => {
    const dir = await freshDir();
    await acquire(dir);
    const refused = await DataDirLock.acquire(dir).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(DataDirLocked);
    expect((refused as DataDirLocked).holder).toMatchObject({ pid: process.pid, host: os.hostname() });
    expect((refused as Error).message).toBe(
      `the data directory ${dir} is in use by another Pileup Buster (pid ${process.pid} on ${os.hostname()}, since ${(refused as DataDirLocked).holder?.started_at})`,
    );
  });

  it('takes over a lock left by a process that no longer exists', async () => {
    const dir = await freshDir();
    await writeLock(dir, { pid: await deadPid() });
    await acquire(dir);
    expect(await holderIn(dir)).toMatchObject({ pid: process.pid });
  });

  it('takes over a lock left by an earlier process with this pid (a container restarted)', async () => {
    const dir = await freshDir();
    await writeLock(dir, { pid: process.pid, nonce: 'an earlier life' });
    await acquire(dir);
    expect(await holderIn(dir)).toMatchObject({ pid: process.pid });
  });

  it('respects a lock from another host, naming the file to delete if that host is gone', async () => {
    const dir = await freshDir();
    await writeLock(dir, { host: 'shack-laptop', pid: await deadPid() });
    const refused = (await DataDirLock.acquire(dir).catch((error: unknown) => error)) as DataDirLocked;
    expect(refused).toBeInstanceOf(DataDirLocked);
    expect(refused.message).toContain('on shack-laptop');
    expect(refused.lockFile).toBe(path.join(dir, LOCK_FILE));
  });

  it.runIf(onLinux)('respects a live holder on this host', async () => {
    const dir = await freshDir();
    await writeLock(dir, { pid: process.ppid, ...(bootId !== undefined && { boot_id: bootId }), process_start: processStart(process.ppid) });
    await expect(DataDirLock.acquire(dir)).rejects.toBeInstanceOf(DataDirLocked);
  });

  it.runIf(onLinux)('takes over when the holder pid now belongs to a process started later (pid reuse)', async () => {
    const dir = await freshDir();
    await writeLock(dir, { pid: process.ppid, ...(bootId !== undefined && { boot_id: bootId }), process_start: '1' });
    await acquire(dir);
  });

  it.runIf(onLinux)('takes over a lock from before the last boot, even when its pid is running now', async () => {
    const dir = await freshDir();
    await writeLock(dir, { pid: process.ppid, boot_id: '00000000-0000-0000-0000-000000000000' });
    await acquire(dir);
  });

  it('waits for an unreadable lock being written, and takes over one left unreadable by a crash', async () => {
    const dir = await freshDir();
    const file = path.join(dir, LOCK_FILE);
    await writeFile(file, '');
    await expect(DataDirLock.acquire(dir)).rejects.toMatchObject({ holder: null });
    const aMinuteAgo = new Date(Date.now() - 60_000);
    await utimes(file, aMinuteAgo, aMinuteAgo);
    await acquire(dir);
  });

  it('leaves alone a lock that is no longer its own when it releases', async () => {
    const dir = await freshDir();
    const lock = await acquire(dir);
    await writeLock(dir, { nonce: 'somebody else' });
    await lock.release();
    expect(await holderIn(dir)).toMatchObject({ nonce: 'somebody else' });
  });
});
