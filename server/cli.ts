/**
 * Headless server: `npm run serve -- --host 127.0.0.1 --port 8000 --data-dir DIR`.
 * Other tools depend on this exact interface.
 */
import { parseArgs } from 'node:util';
import { type RunningServer, startServer } from './app.js';
import { defaultDataDir } from './config/data-dir.js';
import { lanPageUrls, lanUrls } from './net/urls.js';
import { CONSOLE_PATH, PUBLIC_PAGE_PATH } from './protocol/endpoints.js';
import { parsePortArgument, portError } from './config/port.js';
import { SERVER_VERSION } from './version.js';

const USAGE = `Usage: npm run serve -- [--host HOST] [--port PORT] [--data-dir DIR]

  --host HOST      address to bind (default: the console's stored setting, else 0.0.0.0:
                   every interface, so the LAN can reach it)
  --port PORT      TCP port for HTTP and the WebSocket API (default: the stored setting, else 8000)
  --data-dir DIR   where the queue, log, sessions and settings are kept
                   (default: $PILEUP_DATA_DIR, else ${defaultDataDir()})
  --wsjtx-port N   listen for WSJT-X/JTDX UDP on port N (usually 2237; 0 = off, the default)
  --n1mm-port N    listen for N1MM Logger+ UDP on port N (usually 12060; 0 = off, the default)
  --bridge-host A  address the UDP bridges bind (default 0.0.0.0)

Environment: ADMIN_USERNAME, ADMIN_PASSWORD (override the stored credentials),
             MAX_QUEUE_SIZE (queue capacity, default 4), PILEUP_DATA_DIR,
             WSJTX_UDP_PORT, N1MM_UDP_PORT (bridge ports; the flags win),
             ALLOWED_ORIGINS, ALLOWED_HOSTS (other sites / host names browsers may use).`;

function fail(message: string): never {
  console.error(`pileup-buster: ${message}`);
  process.exit(1);
}

function parsePort(raw: string, flag = '--port'): number {
  return parsePortArgument(raw) ?? fail(portError(flag, raw));
}

function startupFailure(error: unknown, givenHost: string | undefined, givenPort: number | undefined, dataDir: string): string {
  const { code, path: failedPath, address, port: failedPort } = (error ?? {}) as NodeJS.ErrnoException & { address?: string; port?: number };
  const host = givenHost ?? address ?? 'the stored address';
  const port = givenPort ?? failedPort ?? 'the stored port';
  // A file-system error can only come from the data directory: say so, not just "EEXIST: mkdir …".
  if (failedPath !== undefined) return `cannot use the data directory ${dataDir}: ${(error as Error).message}`;
  if (code === 'EADDRINUSE') {
    return `port ${port} on ${host} is already in use (is Pileup Buster already running?); choose another with --port`;
  }
  if (code === 'EACCES') return `not allowed to listen on port ${port} on ${host}; choose a port above 1023 with --port`;
  if (code === 'EADDRNOTAVAIL') return `${host} is not an address of this machine; check --host`;
  return error instanceof Error ? error.message : String(error);
}

function announce(server: RunningServer, host: string, dataDir: string): void {
  const { port } = server.address;
  const lines = [
    `Pileup Buster ${SERVER_VERSION} (headless)`,
    `Data directory: ${dataDir}`,
    `Operator console: ${server.consoleUrl}`,
    `Public page: ${server.publicUrl}`,
    `WebSocket API: ${server.url}`,
  ];
  const lan = lanUrls(host, port).filter((url) => url !== server.url);
  if (lan.length > 0) lines.push('Reachable on your LAN at:', ...lan.map((url) => `  ${url}`));
  const lanPages = [...lanPageUrls(host, port, CONSOLE_PATH), ...lanPageUrls(host, port, PUBLIC_PAGE_PATH)].filter(
    (url) => url !== server.consoleUrl && url !== server.publicUrl,
  );
  if (lanPages.length > 0) lines.push('Pages for phones and other computers on your LAN:', ...lanPages.map((url) => `  ${url}`));
  lines.push(`Health: ${server.healthUrl}`);
  for (const bridge of server.bridges.snapshot().bridges) {
    if (bridge.state === 'off') continue;
    const where = `UDP ${bridge.address}:${bridge.port}`;
    lines.push(`${bridge.name === 'wsjtx' ? 'WSJT-X/JTDX' : 'N1MM Logger+'} bridge: ${bridge.state === 'listening' ? `listening on ${where}` : `not listening on ${where}: ${bridge.error ?? 'unknown error'}`}`);
  }
  lines.push(`Admin user: ${server.credentials.username} (credentials from ${server.credentials.source === 'env' ? 'ADMIN_USERNAME/ADMIN_PASSWORD' : 'the data directory'})`);
  if (server.credentials.generatedPassword) {
    lines.push(
      '',
      `First run: generated admin password: ${server.credentials.generatedPassword}`,
      'It is shown only this once (only its hash is stored). Set ADMIN_PASSWORD to use your own.',
      '',
    );
  }
  if (server.station.problem !== null) lines.push(`Warning: ${server.station.problem}.`);
  const { skipped, backups } = server.storeReport;
  if (skipped.length > 0) {
    lines.push(`Warning: skipped ${skipped.length} corrupt line(s) in the data files:`);
    lines.push(...skipped.map((s) => `  ${s.file} line ${s.line}: ${s.preview}`));
    lines.push(...backups.map((b) => `  the original file was kept as ${b}`));
  }
  lines.push('Press Ctrl+C to stop.');
  console.log(lines.join('\n'));
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        host: { type: 'string' },
        port: { type: 'string' },
        'data-dir': { type: 'string' },
        'wsjtx-port': { type: 'string' },
        'n1mm-port': { type: 'string' },
        'bridge-host': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean' },
      },
      strict: true,
    }));
  } catch (error) {
    fail(`${(error as Error).message}\n${USAGE}`);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (values.version) {
    console.log(SERVER_VERSION);
    return;
  }
  // Only what was given: otherwise the listen setting stored from the console, then 0.0.0.0:8000.
  const host = values.host;
  const port = values.port === undefined ? undefined : parsePort(values.port);
  const dataDir = values['data-dir'] ?? process.env.PILEUP_DATA_DIR ?? defaultDataDir();

  let server: RunningServer;
  try {
    const bridges = {
      ...(values['wsjtx-port'] !== undefined && { wsjtx_port: parsePort(values['wsjtx-port'], '--wsjtx-port') }),
      ...(values['n1mm-port'] !== undefined && { n1mm_port: parsePort(values['n1mm-port'], '--n1mm-port') }),
      ...(values['bridge-host'] !== undefined && { bind_address: values['bridge-host'] }),
    };
    server = await startServer({ dataDir, host, port, env: process.env, bridges });
  } catch (error) {
    fail(startupFailure(error, host, port, dataDir));
  }

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    console.log(`${signal}: closing connections and compacting the data files…`);
    server.close().then(
      () => process.exit(0),
      (error: unknown) => fail(`shutdown failed: ${(error as Error).message}`),
    );
  };
  // Handlers before the banner: whoever waits for the banner may signal us right after it.
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  announce(server, server.host, dataDir);
}

await main();
