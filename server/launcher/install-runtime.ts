/**
 * The first `npm start` fetches the Electron runtime with Electron's own installer (the
 * electron package's `install-electron` entry, which honours ELECTRON_MIRROR, the
 * electron_config_cache folder and the other @electron/get settings), under a time limit and with
 * a progress line. The installer writes only to node_modules/electron and Electron's cache; it
 * runs with a temporary folder of its own, so the bytes it has downloaded can be shown.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export const TIMEOUT_ENV = 'PILEUP_ELECTRON_DOWNLOAD_TIMEOUT';
export const DEFAULT_TIMEOUT_S = 600;

export type InstallOutcome = { ok: true; seconds: number } | { ok: false; reason: string };

export interface InstallOptions {
  packageDir: string;
  version: string;
  env: NodeJS.ProcessEnv;
  timeoutS: number;
  out: NodeJS.WriteStream;
  /** Aborting (Ctrl+C) stops the installer. */
  signal?: AbortSignal;
}

/** The time limit from the environment, or the reason it cannot be used. */
export function downloadTimeout(env: NodeJS.ProcessEnv): { seconds: number } | { error: string } {
  const value = env[TIMEOUT_ENV];
  if (value === undefined || value === '') return { seconds: DEFAULT_TIMEOUT_S };
  const seconds = Number(value);
  return Number.isFinite(seconds) && seconds > 0
    ? { seconds }
    : { error: `${TIMEOUT_ENV}=${value} is not a number of seconds above 0` };
}

/** Why the installer cannot run here at all, or null. */
export function cannotInstall(env: NodeJS.ProcessEnv, features: { require_module?: boolean }): string | null {
  if (env.ELECTRON_SKIP_BINARY_DOWNLOAD) return 'ELECTRON_SKIP_BINARY_DOWNLOAD is set';
  // The installer require()s @electron/get, an ES module: Node 22.12+ (and 20.19+) can.
  if (!features.require_module) return `Electron's installer needs Node 22.12 or later (this is Node ${process.version})`;
  return null;
}

function installerEntry(packageDir: string): string | null {
  const { bin } = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as { bin?: Record<string, string> };
  const entry = bin?.['install-electron'];
  return entry && existsSync(path.join(packageDir, entry)) ? path.join(packageDir, entry) : null;
}

/** The installer's own account of its failure: the first error line it printed. */
export function failureReason(output: string, code: number | null): string {
  const lines = output.split(/\r?\n/).map((line) => line.trim()).filter(Boolean);
  const error = lines.find((line) => /^[A-Za-z]*Error\b/.test(line)) ?? lines.at(-1);
  if (!error) return `the installer exited with code ${code}`;
  // Node's fetch says only this for every network-level failure (DNS, refused, TLS, reset).
  return /fetch failed$/.test(error) ? `${error}: no connection to the download host` : error;
}

async function bytesIn(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => [])) {
    if (entry.isFile()) total += await stat(path.join(entry.parentPath, entry.name)).then((s) => s.size, () => 0);
  }
  return total;
}

const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

export async function installRuntime(options: InstallOptions): Promise<InstallOutcome> {
  const { packageDir, version, env, timeoutS, out, signal } = options;
  const installer = installerEntry(packageDir);
  if (installer === null) return { ok: false, reason: 'the electron package has no install-electron entry' };

  const temp = await mkdtemp(path.join(os.tmpdir(), 'pileup-electron-install-'));
  const started = performance.now();
  const head = `Downloading the Electron ${version} runtime (first start only, about 100 MB; at most ${timeoutS} s, Ctrl+C to stop)`;
  const tty = out.isTTY === true;
  out.write(tty ? head : `${head}…\n`);
  // On a terminal the line counts up: what is in the installer's temporary folder, and the time.
  let done = false;
  const ticker = tty
    ? setInterval(() => {
        void bytesIn(temp).then((bytes) => {
          if (!done) out.write(`\r${head}: ${megabytes(bytes)}, ${Math.round((performance.now() - started) / 1000)} s`);
        });
      }, 1000)
    : undefined;

  const child = spawn(process.execPath, [installer], {
    env: { ...env, TMPDIR: temp, TMP: temp, TEMP: temp },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-64 * 1024);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);

  let stopped: string | null = null;
  const stop = (why: string) => {
    stopped ??= why;
    child.kill('SIGTERM');
  };
  const timer = setTimeout(() => stop(`not finished within the time limit of ${timeoutS} s (${TIMEOUT_ENV} sets it)`), timeoutS * 1000);
  const onAbort = () => stop('stopped');
  signal?.addEventListener('abort', onAbort, { once: true });

  const code = await new Promise<number | null>((resolve) => {
    child.once('error', (error) => {
      collect(Buffer.from(`Error: ${error.message}\n`));
      resolve(null);
    });
    child.once('close', (exitCode) => resolve(exitCode));
  });
  done = true;
  clearTimeout(timer);
  clearInterval(ticker);
  signal?.removeEventListener('abort', onAbort);
  const seconds = (performance.now() - started) / 1000;
  await rm(temp, { recursive: true, force: true });
  if (tty) out.write('\r\x1b[2K');

  if (stopped !== null) return { ok: false, reason: stopped };
  if (code !== 0) return { ok: false, reason: failureReason(output, code) };
  return { ok: true, seconds };
}
