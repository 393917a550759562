/**
 * Real `nats-server` processes for the relay tests (Debian's package). Each test starts its own
 * on free loopback ports, in a temp folder that also holds its JetStream store, with a config
 * derived from the shipped kit: deploy/relay/pileup-accounts.conf, the users and permissions, is
 * used as shipped, with the example station's block copied once per station of the test (what
 * the kit tells an admin to do) and the password placeholder filled in. Without nats-server the
 * relay suites are skipped loudly, or fail under E2E_REQUIRED=1.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { REPO_ROOT } from './cli-process.js';
import { e2eRequired, warnSkipped } from './e2e-required.js';

export const NATS_SERVER_PATH = '/usr/sbin/nats-server';
export const natsServerMissing = !existsSync(NATS_SERVER_PATH);
export const SHIPPED_ACCOUNTS = path.join(REPO_ROOT, 'deploy', 'relay', 'pileup-accounts.conf');

/** `describe`, or `describe.skip` with a loud warning when nats-server is missing and not required. */
export function natsSuite<T>(describe: T & { skip: T }): T {
  if (!natsServerMissing || e2eRequired) return describe;
  warnSkipped('PUBLIC RELAY TESTS', `${NATS_SERVER_PATH} is missing`, 'Install it with `apt-get install -y nats-server`');
  return describe.skip;
}

/** Free loopback ports, found by binding port 0 (nats-server needs explicit ones). */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => new Promise<net.Server>((resolve, reject) => {
      const server = net.createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve(server));
    })),
  );
  const ports = servers.map((server) => (server.address() as net.AddressInfo).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

export interface StationUser {
  id: string;
  password: string;
}

const TEMPLATE = /# --- station ea8abc ---\n([\s\S]*?)# --- end station ea8abc ---\n/;

/** The shipped accounts file with one copy of the example station block per station. */
export async function deriveAccounts(stations: StationUser[]): Promise<string> {
  const shipped = await readFile(SHIPPED_ACCOUNTS, 'utf8');
  const block = TEMPLATE.exec(shipped)?.[1];
  if (block === undefined) throw new Error(`${SHIPPED_ACCOUNTS} lost its "# --- station ea8abc ---" template block`);
  const copies = stations.map(({ id, password }) =>
    block.replaceAll('CHANGE-ME-ea8abc', password).replaceAll('ea8abc', id),
  );
  return shipped.replace(TEMPLATE, copies.join(''));
}

export interface NatsServerOptions {
  dir: string;
  stations: StationUser[];
  name?: string;
  /** Origins browsers may open the WebSocket from; none: every origin. */
  allowedOrigins?: string[];
  cluster?: { name: string; port: number; routes: number[] };
  /** Ports to use (a restarted node keeps its own). */
  ports?: { client: number; websocket: number; monitor: number };
}

export interface NatsServer {
  name: string;
  /** nats://127.0.0.1:port */
  url: string;
  /** ws://127.0.0.1:port (no TLS in tests) */
  wsUrl: string;
  monitorUrl: string;
  ports: { client: number; websocket: number; monitor: number };
  options: NatsServerOptions;
  /** SIGTERM (lame-duck free, clean shutdown) and wait. */
  stop(): Promise<void>;
  /** SIGKILL: the hub dies. */
  kill(): Promise<void>;
  log(): string;
}

const running = new Set<ChildProcess>();
// A test whose teardown timed out must not leave a nats-server behind when its worker exits.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

function config(options: NatsServerOptions, ports: NatsServer['ports'], storeDir: string): string {
  const lines = [
    `server_name: ${options.name ?? 'relay-test'}`,
    `listen: 127.0.0.1:${ports.client}`,
    `http: 127.0.0.1:${ports.monitor}`,
    'max_payload: 1MB',
    `jetstream { store_dir: ${JSON.stringify(storeDir)}, max_mem: 128M, max_file: 2G }`,
    'websocket {',
    `  listen: "127.0.0.1:${ports.websocket}"`,
    '  no_tls: true',
    '  compression: false',
    ...(options.allowedOrigins === undefined ? [] : [`  allowed_origins: ${JSON.stringify(options.allowedOrigins)}`]),
    '}',
  ];
  if (options.cluster !== undefined) {
    const { name, port, routes } = options.cluster;
    lines.push(
      'cluster {',
      `  name: ${name}`,
      `  listen: 127.0.0.1:${port}`,
      `  routes: ${JSON.stringify(routes.map((route) => `nats-route://127.0.0.1:${route}`))}`,
      '}',
    );
  }
  lines.push('include "accounts.conf"');
  return `${lines.join('\n')}\n`;
}

export async function startNatsServer(options: NatsServerOptions): Promise<NatsServer> {
  const name = options.name ?? 'relay-test';
  const home = path.join(options.dir, name);
  await mkdir(home, { recursive: true });
  const [client = 0, websocket = 0, monitor = 0] = options.ports ? [] : await freePorts(3);
  const ports = options.ports ?? { client, websocket, monitor };
  await writeFile(path.join(home, 'accounts.conf'), await deriveAccounts(options.stations));
  const configFile = path.join(home, 'nats-server.conf');
  await writeFile(configFile, config(options, ports, path.join(home, 'jetstream')));
  const child = spawn(NATS_SERVER_PATH, ['-c', configFile], { stdio: ['ignore', 'ignore', 'pipe'] });
  running.add(child);
  let log = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    log += chunk;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => {
    running.delete(child);
    resolve();
  }));
  const deadline = Date.now() + 15_000;
  while (!log.includes('Server is ready')) {
    if (child.exitCode !== null) throw new Error(`nats-server exited:\n${log}`);
    if (Date.now() > deadline) throw new Error(`nats-server did not start:\n${log}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return {
    name,
    url: `nats://127.0.0.1:${ports.client}`,
    wsUrl: `ws://127.0.0.1:${ports.websocket}`,
    monitorUrl: `http://127.0.0.1:${ports.monitor}`,
    ports,
    options,
    stop: () => end('SIGTERM'),
    kill: () => end('SIGKILL'),
    log: () => log,
  };
}

/** Waits until the server's JetStream answers (a cluster elects its leader first). */
export async function waitForJetStream(server: NatsServer, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const healthy = await fetch(`${server.monitorUrl}/healthz`).then((response) => response.ok, () => false);
    if (healthy) return;
    if (Date.now() > deadline) throw new Error(`JetStream of ${server.name} not ready:\n${server.log()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Kills (SIGKILL) every nats-server this module started that still runs. */
export async function killAllNatsServers(): Promise<void> {
  await Promise.all(
    [...running].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGKILL');
        }),
    ),
  );
}
