/**
 * A real disk that fails, for the storage-failure tests: an ext4 file system on a loop device
 * (over a 32 MiB image in a temp folder), mounted `errors=remount-ro` as a data disk would be.
 * Two real failures the kernel produces while the server holds its files open:
 * - `turnReadOnly`: an ext4 error (the kernel's own test trigger, /sys/fs/ext4/<dev>/trigger_fs_error)
 *   aborts the journal and the file system turns read-only: every write fails with EROFS;
 * - `shutDown`: the file system is shut down (FS_IOC_SHUTDOWN via `xfs_io -x -c shutdown`, as a
 *   disk that went away): every write and sync fails with EIO.
 * `remount` unmounts and mounts it again, as after a reboot: what was synced before is there.
 * Needs root, loop devices, mkfs.ext4 and xfs_io (xfsprogs); without them the tests are skipped
 * with a loud message, or fail under E2E_REQUIRED=1 (.ci/run installs them and runs as root).
 */
import { mkdir, mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { e2eRequired, warnSkipped } from './e2e-required.js';
import { runCommand } from './run-command.js';

export interface FailingDisk {
  /** The mounted file system. */
  dir: string;
  turnReadOnly(): Promise<void>;
  shutDown(): Promise<void>;
  remount(): Promise<void>;
  unmount(): Promise<void>;
}

const IMAGE_BYTES = 32 * 1024 * 1024;

/** Mounts a fresh ext4 on a loop device; null (after a loud warning) when that is not possible here. */
export async function mountFailingDisk(): Promise<FailingDisk | null> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'pileup-failing-disk-'));
  const image = path.join(root, 'disk.img');
  const dir = path.join(root, 'mnt');
  let loop: string | null = null;
  try {
    await mkdir(dir);
    const handle = await open(image, 'w');
    await handle.truncate(IMAGE_BYTES);
    await handle.close();
    await runCommand('mkfs.ext4', ['-q', '-F', image]);
    await runCommand('xfs_io', ['-V']);
    loop = await runCommand('losetup', ['--find', '--show', image]);
    await runCommand('mount', ['-o', 'errors=remount-ro', loop, dir]);
  } catch (error) {
    if (loop !== null) await runCommand('losetup', ['-d', loop]).catch(() => undefined);
    await rm(root, { recursive: true, force: true });
    if (e2eRequired) throw new Error(`E2E_REQUIRED=1 but no ext4 on a loop device can be mounted here: ${(error as Error).message}`, { cause: error });
    warnSkipped('FAILING-DISK TESTS', (error as Error).message, 'Run them as root with loop devices, mkfs.ext4 and xfs_io (apt-get install -y e2fsprogs xfsprogs)');
    return null;
  }
  const device = loop;
  return {
    dir,
    async turnReadOnly() {
      await writeFile(`/sys/fs/ext4/${path.basename(device)}/trigger_fs_error`, 'pileup test: the disk failed');
    },
    async shutDown() {
      await runCommand('xfs_io', ['-x', '-c', 'shutdown', dir]);
    },
    async remount() {
      await runCommand('umount', [dir]);
      // An ext4 error leaves the "has errors" flag set; a reboot's fsck clears it.
      await runCommand('e2fsck', ['-fy', device]).catch(() => undefined);
      await runCommand('mount', ['-o', 'errors=remount-ro', device, dir]);
    },
    async unmount() {
      await runCommand('umount', [dir]).catch(() => undefined);
      await runCommand('losetup', ['-d', device]);
      await rm(root, { recursive: true, force: true });
    },
  };
}
