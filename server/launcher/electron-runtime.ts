/**
 * Where `npm start` finds the Electron runtime, read the way the electron package reads it
 * itself: `node_modules/electron/path.txt` names the executable under `dist/`, and
 * ELECTRON_OVERRIDE_DIST_PATH names a distribution installed elsewhere. `require('electron')` is
 * never used: it would start a download without a time limit.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export type Runtime =
  | { state: 'installed'; binary: string }
  /** The package is there, its binary not yet: Electron's installer can fetch it. */
  | { state: 'downloadable'; packageDir: string; version: string }
  | { state: 'unavailable'; reason: string };

/** The executable inside a distribution, as Electron's installer names it per platform. */
export function executableName(platform: NodeJS.Platform): string {
  if (platform === 'win32') return 'electron.exe';
  if (platform === 'darwin') return 'Electron.app/Contents/MacOS/Electron';
  return 'electron';
}

function electronPackageDir(from: string): string | null {
  try {
    return path.dirname(createRequire(from).resolve('electron/package.json'));
  } catch {
    return null;
  }
}

/** `from` is a file whose node_modules are searched (start.js's own URL). */
export function findRuntime(from: string, env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): Runtime {
  const packageDir = electronPackageDir(from);
  const pathFile = packageDir === null ? null : path.join(packageDir, 'path.txt');
  const named = pathFile !== null && existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;

  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const binary = path.join(override, named || executableName(platform));
    return existsSync(binary)
      ? { state: 'installed', binary }
      : { state: 'unavailable', reason: `ELECTRON_OVERRIDE_DIST_PATH is ${override}, but ${binary} does not exist` };
  }
  if (packageDir === null) {
    return { state: 'unavailable', reason: 'the electron package is not installed (an install without development dependencies?)' };
  }
  if (named) {
    const binary = path.join(packageDir, 'dist', named);
    if (existsSync(binary)) return { state: 'installed', binary };
  }
  const { version } = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as { version: string };
  return { state: 'downloadable', packageDir, version };
}
