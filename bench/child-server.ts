/**
 * Runs a benchmark server (Pileup or the bare baseline) in a child process and talks to it over
 * IPC. Keeping the server apart from the load-generating clients gives each its own core, its
 * own file-descriptor table and a resident size that is the server's alone.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ChildMessage, type FileCounters, isChildMessage, type ParentCommand, type ReadyMessage, type ServerKind } from './child-protocol.js';
import { withTimeout } from './timing.js';

export const ADMIN_USERNAME = 'admin';
/** Fresh for every run; handed to the server as ADMIN_PASSWORD. */
export const ADMIN_PASSWORD = `bench-${randomBytes(12).toString('hex')}`;

const CHILD_SCRIPT = fileURLToPath(new URL('./server-child.js', import.meta.url));
const START_TIMEOUT_MS = 30_000;
/** Closing Pileup compacts every data file, which takes a while with a big log. */
const STOP_TIMEOUT_MS = 30_000;

export interface ChildServer {
  kind: ServerKind;
  url: string;
  pid: number;
  ready: ReadyMessage;
  /** The Pileup data directory (removed by `stop`), or null for the bare server. */
  dataDir: string | null;
  /** Runs a full garbage collection in the child and waits for it. */
  gc(): Promise<void>;
  /** The store's counters (syncs, bytes appended) per data file; empty for the bare server. */
  files(): Promise<FileCounters>;
  /** Stops the server gracefully (SIGKILL if it does not exit in time) and removes its data. */
  stop(): Promise<void>;
}

export async function makeTempDir(prefix: string): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), `pileup-bench-${prefix}-`));
}

function nextMessage<T extends ChildMessage['type']>(child: ChildProcess, type: T): Promise<Extract<ChildMessage, { type: T }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: unknown) => {
      if (!isChildMessage(message) || message.type !== type) return;
      cleanup();
      resolve(message as Extract<ChildMessage, { type: T }>);
    };
    const onExit = (code: number | null, signalName: string | null) => {
      cleanup();
      reject(new Error(`server child exited (${code ?? signalName}) while waiting for ${type}`));
    };
    const cleanup = () => {
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

export async function launchServer(kind: ServerKind): Promise<ChildServer> {
  const dataDir = kind === 'pileup' ? await makeTempDir('data') : null;
  const child = fork(CHILD_SCRIPT, dataDir === null ? [kind] : [kind, dataDir], {
    execArgv: ['--expose-gc'],
    env: { ...process.env, ADMIN_USERNAME, ADMIN_PASSWORD },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const send = (command: ParentCommand) => child.send(command);
  const stop = async () => {
    if (child.connected) send({ cmd: 'stop' });
    try {
      await withTimeout(exited(child), STOP_TIMEOUT_MS, `${kind} server child to exit`);
    } catch {
      child.kill('SIGKILL');
      await exited(child);
    }
    if (dataDir !== null) await rm(dataDir, { recursive: true, force: true });
  };
  let ready: ReadyMessage;
  try {
    ready = await withTimeout(nextMessage(child, 'ready'), START_TIMEOUT_MS, `${kind} server child to start`);
  } catch (error) {
    child.kill('SIGKILL');
    await exited(child);
    if (dataDir !== null) await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  if (child.pid === undefined) throw new Error('server child has no pid');
  return {
    kind,
    url: ready.url,
    pid: child.pid,
    ready,
    dataDir,
    async gc() {
      const done = nextMessage(child, 'gc-done');
      send({ cmd: 'gc' });
      await withTimeout(done, 10_000, 'gc in the server child');
    },
    async files() {
      const stats = nextMessage(child, 'stats');
      send({ cmd: 'stats' });
      return (await withTimeout(stats, 10_000, 'stats from the server child')).files;
    },
    stop,
  };
}

/** Runs `body` with a server child and always stops it. */
export async function withServer<T>(kind: ServerKind, body: (server: ChildServer) => Promise<T>): Promise<T> {
  const server = await launchServer(kind);
  try {
    return await body(server);
  } finally {
    await server.stop();
  }
}

/** Runs `body` with both servers up at once, so trials can alternate between them. */
export function withBothServers<T>(body: (servers: Record<ServerKind, ChildServer>) => Promise<T>): Promise<T> {
  return withServer('bare', (bare) => withServer('pileup', (pileup) => body({ bare, pileup })));
}
