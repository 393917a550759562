/**
 * Runs a program for the tests' real-disk support (mount, losetup, mkfs.ext4, xfs_io): resolves
 * with its output, or fails with the command and what it printed to stderr, which is what says
 * why (not root, no loop device, not installed).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export async function runCommand(command: string, args: string[]): Promise<string> {
  try {
    return (await run(command, args)).stdout.trim();
  } catch (error) {
    const { stderr } = error as { stderr?: string };
    throw new Error(`${command} ${args.join(' ')}: ${stderr?.trim() || (error as Error).message}`, { cause: error });
  }
}
