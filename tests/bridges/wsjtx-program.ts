/**
 * The real WSJT-X (Debian's `wsjtx`, under `xvfb-run`) for the bridge tests, and a UDP tap that
 * sits between it and the server so a test sees every datagram both ways. Missing programs skip
 * those tests with a loud message, or fail them under E2E_REQUIRED=1 (.ci/run installs them).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { e2eRequired, warnSkipped } from '../support/e2e-required.js';

export const WSJTX_PATH = '/usr/bin/wsjtx';
export const XVFB_RUN_PATH = '/usr/bin/xvfb-run';
export const wsjtxMissing = !existsSync(WSJTX_PATH) || !existsSync(XVFB_RUN_PATH);

export function warnIfWsjtxMissing(): void {
  if (!wsjtxMissing || e2eRequired) return;
  warnSkipped('WSJT-X TESTS', `${WSJTX_PATH} or ${XVFB_RUN_PATH} is missing`, 'Install them with `apt-get install -y wsjtx xvfb`');
}

/** Starts WSJT-X with a fresh settings folder under `home`, reporting to 127.0.0.1:`port`. */
export async function startWsjtx(home: string, port: number): Promise<ChildProcess> {
  if (wsjtxMissing) throw new Error('E2E_REQUIRED=1 but wsjtx or xvfb-run is missing: apt-get install -y wsjtx xvfb');
  await mkdir(path.join(home, '.config'), { recursive: true });
  await writeFile(
    path.join(home, '.config', 'WSJT-X.ini'),
    ['[Configuration]', 'MyCall=EI6JGB', 'MyGrid=IO63', 'UDPServer=127.0.0.1', `UDPServerPort=${port}`, 'AcceptUDPRequests=true', '[Common]', 'Mode=FT8', ''].join('\n'),
  );
  // Its own process group, so the test stops xvfb-run, Xvfb and WSJT-X together.
  return spawn(XVFB_RUN_PATH, ['-a', WSJTX_PATH], { env: { ...process.env, HOME: home }, stdio: 'ignore', detached: true });
}

export function stopProcessGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  process.kill(-child.pid, 'SIGKILL');
  return exited;
}

export interface Tapped {
  toServer: boolean;
  datagram: Buffer;
}

/** A UDP relay on 127.0.0.1: the logger sends to `port`; the tap forwards both ways and records it all. */
export class UdpTap {
  readonly seen: Tapped[] = [];
  private readonly waiters: { match: (tapped: Tapped) => boolean; resolve: (tapped: Tapped) => void }[] = [];
  private logger: { address: string; port: number } | null = null;

  private constructor(
    private readonly front: dgram.Socket,
    private readonly back: dgram.Socket,
  ) {}

  static async open(serverPort: number): Promise<UdpTap> {
    const bind = async () => {
      const socket = dgram.createSocket('udp4');
      await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
      return socket;
    };
    const tap = new UdpTap(await bind(), await bind());
    tap.front.on('message', (datagram, from) => {
      tap.logger = { address: from.address, port: from.port };
      tap.record({ toServer: true, datagram });
      tap.back.send(datagram, serverPort, '127.0.0.1');
    });
    tap.back.on('message', (datagram) => {
      tap.record({ toServer: false, datagram });
      if (tap.logger !== null) tap.front.send(datagram, tap.logger.port, tap.logger.address);
    });
    return tap;
  }

  get port(): number {
    return this.front.address().port;
  }

  /** Resolves with the first datagram (already seen or to come) that matches. */
  next(match: (tapped: Tapped) => boolean): Promise<Tapped> {
    const found = this.seen.find(match);
    if (found !== undefined) return Promise.resolve(found);
    return new Promise((resolve) => this.waiters.push({ match, resolve }));
  }

  async close(): Promise<void> {
    await Promise.all([this.front, this.back].map((socket) => new Promise<void>((resolve) => socket.close(() => resolve()))));
  }

  private record(tapped: Tapped): void {
    this.seen.push(tapped);
    for (const waiter of [...this.waiters]) {
      if (!waiter.match(tapped)) continue;
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve(tapped);
    }
  }
}

/** Schema and message type from a WSJT-X datagram's header. */
export function wsjtxHeader(datagram: Buffer): { schema: number; type: number } {
  return { schema: datagram.readUInt32BE(4), type: datagram.readUInt32BE(8) };
}
