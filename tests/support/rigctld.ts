/**
 * Real Hamlib `rigctld` processes for the rig tests (Debian's libhamlib-utils): the dummy rig
 * (`-m 1`) on a free loopback port, started and stopped by each test, and a second TCP
 * connection that turns the dummy rig's "VFO" with rigctld's own commands, as another program
 * would. Without rigctld the suite is skipped loudly, or fails under E2E_REQUIRED=1.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import { e2eRequired, warnSkipped } from './e2e-required.js';
import { freePorts } from './nats-server.js';

export const RIGCTLD_PATH = '/usr/bin/rigctld';
export const rigctldMissing = !existsSync(RIGCTLD_PATH);

/** `describe`, or `describe.skip` with a loud warning when rigctld is missing and not required. */
export function rigctldSuite<T>(describe: T & { skip: T }): T {
  if (!rigctldMissing || e2eRequired) return describe;
  warnSkipped('RIG (HAMLIB RIGCTLD) TESTS', `${RIGCTLD_PATH} is missing`, 'Install it with `apt-get install -y libhamlib-utils`');
  return describe.skip;
}

/** `rigctl Hamlib 4.5.4 …`: the version the suite ran against, for the record. */
export function rigctldVersion(): string {
  return spawnSync(RIGCTLD_PATH, ['--version'], { encoding: 'utf8' }).stdout.trim();
}

export interface Rigctld {
  port: number;
  /** One command in rigctld's extended form (`F 14074000` is sent as `+F 14074000`); resolves with its answer. */
  command(line: string): Promise<string>;
  /** SIGKILL: rigctld goes away without a goodbye. */
  kill(): Promise<void>;
  /** SIGTERM and wait. */
  stop(): Promise<void>;
  log(): string;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

function connectOnce(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Starts `rigctld -m 1` on `port` (a free one when not given), ready once it accepts a connection. */
export async function startRigctld(options: { port?: number; extraArgs?: string[] } = {}): Promise<Rigctld> {
  const [port = 0] = options.port === undefined ? await freePorts(1) : [options.port];
  const child = spawn(RIGCTLD_PATH, ['-m', '1', '-T', '127.0.0.1', '-t', String(port), ...(options.extraArgs ?? [])], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let log = '';
  for (const stream of [child.stdout, child.stderr]) stream?.setEncoding('utf8').on('data', (chunk: string) => (log += chunk));
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      running.delete(child);
      resolve();
    }),
  );
  const deadline = Date.now() + 15_000;
  let control: net.Socket | undefined;
  while (control === undefined) {
    if (child.exitCode !== null) throw new Error(`rigctld exited (${child.exitCode}):\n${log}`);
    if (Date.now() > deadline) throw new Error(`rigctld did not accept connections on ${port}:\n${log}`);
    control = await connectOnce(port).catch(() => undefined);
    if (control === undefined) await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const socket = control;
  socket.setEncoding('latin1');
  let buffer = '';
  let waiter: ((answer: string) => void) | undefined;
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    const end = /^RPRT -?\d+\n/m.exec(buffer);
    if (end === null || waiter === undefined) return;
    const answer = buffer.slice(0, end.index + end[0].length);
    buffer = buffer.slice(answer.length);
    const resolve = waiter;
    waiter = undefined;
    resolve(answer);
  });
  socket.on('error', () => undefined);
  const end = async (signal: NodeJS.Signals) => {
    socket.destroy();
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return {
    port,
    command(line) {
      return new Promise((resolve) => {
        waiter = resolve;
        socket.write(`+${line}\n`);
      });
    },
    kill: () => end('SIGKILL'),
    stop: () => end('SIGTERM'),
    log: () => log,
  };
}
