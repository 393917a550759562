/**
 * `npm start`: the desktop app when the Electron runtime is installed, otherwise the same server
 * headless. The runtime is detected from `node_modules/electron/path.txt` and the binary it
 * names; `require('electron')` is never used here because it would start a download.
 * Arguments (`--port`, `--host`) reach either mode unchanged.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** This file runs as dist/server/start.js: the project root is two folders up. */
const projectRoot = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));

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

function launchDesktop(binary: string): void {
  // Inherited from some terminals (VS Code's), it would make Electron run as plain Node.
  const { ELECTRON_RUN_AS_NODE: _runAsNode, ...env } = process.env;
  const child = spawn(binary, [projectRoot, ...process.argv.slice(2)], { stdio: 'inherit', env });
  // Ctrl+C reaches Electron too (same process group); it quits cleanly, and so do we after it.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

const binary = electronBinary();
const mainBundle = path.join(projectRoot, 'out', 'main', 'main.js');
if (binary && existsSync(mainBundle)) {
  launchDesktop(binary);
} else {
  console.log(
    binary
      ? `Electron runtime found, but ${mainBundle} is missing (run npm run build:electron): running the server headless.`
      : 'Electron runtime not installed (node_modules/electron/path.txt missing): running the server headless.',
  );
  await import('./cli.js');
}
