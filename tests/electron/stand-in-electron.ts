/**
 * A stand-in for Electron's binary distribution, since the real one cannot be downloaded here.
 * The executable is a shell script: whatever it should do (record its arguments, exit with a
 * code) plus, in a comment line, Electron's fuse sentinel and an 8-fuse wire, which is all that
 * @electron/fuses looks for when electron-builder flips the fuses.
 */
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** The marker @electron/fuses searches the binary for; the wire follows it. */
export const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';

/**
 * Fuse wire version 1, 8 fuses, in Electron's default states ('1' on, '0' off): RunAsNode on,
 * cookie encryption off, NODE_OPTIONS on, inspect flags on, asar integrity off, only-asar off,
 * browser V8 snapshot off, file:// privileges on.
 */
const DEFAULT_WIRE = '10110001';

/** The executable's text: `body` is shell, run after the fuse comment. */
export function standInExecutable(body: string): Buffer {
  return Buffer.concat([
    Buffer.from('#!/bin/sh\n# '),
    Buffer.from(FUSE_SENTINEL, 'latin1'),
    Buffer.from([1, DEFAULT_WIRE.length]),
    Buffer.from(`${DEFAULT_WIRE}\n${body}\n`),
  ]);
}

/** The fuses as '0'/'1' characters, read back from an executable the way @electron/fuses does. */
export function fuseWire(executable: Buffer): string {
  const at = executable.indexOf(FUSE_SENTINEL, 0, 'latin1');
  if (at === -1) throw new Error('no fuse sentinel in the executable');
  const wire = at + FUSE_SENTINEL.length;
  const length = executable[wire + 1] ?? 0;
  return executable.subarray(wire + 2, wire + 2 + length).toString('latin1');
}

/**
 * An unpacked Linux distribution as Electron's zip holds it (the parts electron-builder touches):
 * the `electron` executable, `version`, the licences, and `resources/`.
 */
export async function writeStandInDistribution(dir: string, version: string, body = 'exit 0'): Promise<string> {
  await mkdir(path.join(dir, 'resources'), { recursive: true });
  const executable = path.join(dir, 'electron');
  await writeFile(executable, standInExecutable(body));
  await chmod(executable, 0o755);
  await writeFile(path.join(dir, 'version'), version);
  await writeFile(path.join(dir, 'LICENSE'), 'Stand-in for the Electron licence.\n');
  await writeFile(path.join(dir, 'LICENSES.chromium.html'), '<p>Stand-in for the Chromium licences.</p>\n');
  return executable;
}
