/**
 * `npm start`: the desktop app when the Electron runtime is installed, otherwise the same server
 * headless. The runtime is detected from `node_modules/electron/path.txt` and the binary it
 * names; `require('electron')` is never used here because it would start a download.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

function electronBinary(): string | null {
  let packageDir: string;
  try {
    packageDir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return null;
  }
  const pathFile = path.join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = path.join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

const binary = electronBinary();
console.log(
  binary
    ? `Electron runtime found at ${binary}, but the desktop shell is not built yet: running the server headless.`
    : 'Electron runtime not installed (node_modules/electron/path.txt missing): running the server headless.',
);
await import('./cli.js');
