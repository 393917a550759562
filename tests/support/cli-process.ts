/**
 * Runs the real headless server as shipped (`node dist/server/headless.js`, the bundled CLI) as a child process. The build is made
 * once, only when dist/ is missing or older than the sources, under a lock so that test files
 * running in parallel workers never spawn a half-written dist/.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdir, readdir, rmdir, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CLI_PATH = path.join(REPO_ROOT, 'dist', 'server', 'headless.js');

const execFileAsync = promisify(execFile);
const LOCK_DIR = path.join(os.tmpdir(), `pileup-build-${Buffer.from(REPO_ROOT).toString('hex').slice(-32)}.lock`);
/** A lock older than this was left by a crashed run. */
const STALE_LOCK_MS = 120_000;

async function mtime(file: string): Promise<number> {
  try {
    return (await stat(file)).mtimeMs;
  } catch {
    return 0;
  }
}

async function newestSource(dir: string): Promise<number> {
  let newest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, await newestSource(full));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) newest = Math.max(newest, await mtime(full));
  }
  return newest;
}

async function isStale(): Promise<boolean> {
  const built = await mtime(CLI_PATH);
  if (built === 0) return true;
  const configs = await Promise.all(['tsconfig.json', 'tsconfig.build.json'].map((f) => mtime(path.join(REPO_ROOT, f))));
  return Math.max(await newestSource(path.join(REPO_ROOT, 'server')), ...configs) > built;
}

async function acquireLock(): Promise<void> {
  for (;;) {
    try {
      await mkdir(LOCK_DIR);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = Date.now() - (await mtime(LOCK_DIR));
      if (age > STALE_LOCK_MS) await rmdir(LOCK_DIR).catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** Builds dist/ with `npm run build` when it is missing or older than server/. */
export async function ensureBuilt(): Promise<void> {
  if (!(await isStale())) return;
  await acquireLock();
  try {
    if (!(await isStale())) return;
    try {
      await execFileAsync('npm', ['run', 'build'], { cwd: REPO_ROOT, maxBuffer: 16 * 1024 * 1024 });
    } catch (error) {
      const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
      throw new Error(`npm run build failed:\n${stdout}${stderr}`, { cause: error });
    }
  } finally {
    await rmdir(LOCK_DIR).catch(() => undefined);
  }
}

export interface CliExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface CliRun {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<CliExit>;
  /** Resolves with the first match in stdout; rejects if the process exits first. */
  waitForStdout(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
}

const running = new Set<ChildProcess>();

/** The caller's environment without anything that would change the server under test. */
function baseEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of ['ADMIN_USERNAME', 'ADMIN_PASSWORD', 'MAX_QUEUE_SIZE', 'PILEUP_DATA_DIR']) delete env[name];
  return env;
}

export function spawnCli(args: string[], env: Record<string, string> = {}): CliRun {
  const child = spawn(process.execPath, [CLI_PATH, ...args], {
    cwd: REPO_ROOT,
    env: { ...baseEnv(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
  });
  // 'close' (not 'exit') so that stdout and stderr are complete when this resolves.
  const exited = new Promise<CliExit>((resolve) => {
    child.once('close', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    });
  });
  let ended = false;
  void exited.then(() => {
    ended = true;
  });
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    async waitForStdout(pattern, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const match = out.match(pattern);
        if (match) return match;
        if (ended) throw new Error(`CLI exited before printing ${pattern}\nstdout:\n${out}\nstderr:\n${err}`);
        if (Date.now() > deadline) throw new Error(`CLI did not print ${pattern}\nstdout:\n${out}\nstderr:\n${err}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
  };
}

export interface StartedCli extends CliRun {
  url: string;
}

/** Starts the CLI on a free loopback port over `dataDir` and waits until it is listening. */
export async function startCli(dataDir: string, env: Record<string, string> = {}): Promise<StartedCli> {
  const run = spawnCli(['--host', '127.0.0.1', '--port', '0', '--data-dir', dataDir], env);
  const [, url] = await run.waitForStdout(/WebSocket API: (ws:\/\/\S+)/);
  if (url === undefined) throw new Error('no URL');
  // The banner ends with this line; the CLI installs its signal handlers before printing it.
  await run.waitForStdout(/Press Ctrl\+C to stop\./);
  return { ...run, url };
}

/** Kills (SIGKILL) every CLI child this module started that is still running. */
export async function killAllClis(): Promise<void> {
  const children = [...running];
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) {
            resolve();
            return;
          }
          child.once('close', () => resolve());
          child.kill('SIGKILL');
        }),
    ),
  );
}
