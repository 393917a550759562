/**
 * A download host for Electron's installer on 127.0.0.1 (an ephemeral port), set as
 * ELECTRON_MIRROR, so the first-start tests never reach the internet: it serves a stand-in
 * runtime zip and its SHASUMS256.txt, answers 404, or accepts and never answers.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { zipSync } from 'fflate';
import { standInExecutable } from './stand-in-electron.js';

export type MirrorMode = 'serve' | 'not-found' | 'silent';

export interface Mirror {
  /** For ELECTRON_MIRROR: the installer appends `v<version>/<file>`. */
  url: string;
  /** Paths requested, in order. */
  requests: string[];
  close(): Promise<void>;
}

/** The zip Electron's release holds for linux, with a stand-in executable running `body`. */
export function standInRuntimeZip(version: string, body: string): Uint8Array {
  // Unix mode bits in the high half of the external attributes, as zip tools on Unix write them.
  const executable = { os: 3, attrs: (0o100755 << 16) >>> 0 };
  return zipSync({
    electron: [new Uint8Array(standInExecutable(body)), executable],
    version: new TextEncoder().encode(version),
    LICENSE: new TextEncoder().encode('Stand-in for the Electron licence.\n'),
  });
}

export async function startMirror(mode: MirrorMode, files: Record<string, Uint8Array> = {}): Promise<Mirror> {
  const requests: string[] = [];
  const served = new Map(Object.entries(files));
  const sums = [...served].map(([name, bytes]) => `${createHash('sha256').update(bytes).digest('hex')} *${name}`).join('\n');
  const server = http.createServer((request, response) => {
    const url = request.url ?? '/';
    requests.push(url);
    if (mode === 'silent') return;
    const name = url.split('/').at(-1) ?? '';
    const body = mode === 'serve' ? (name === 'SHASUMS256.txt' ? Buffer.from(`${sums}\n`) : served.get(name)) : undefined;
    if (body === undefined) {
      response.writeHead(404).end('not found');
      return;
    }
    response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A loopback port nothing listens on: the connection is refused at once. */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
