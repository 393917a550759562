/**
 * Headless server: `npm run serve -- --host 127.0.0.1 --port 8000 --data-dir DIR`.
 * Other tools depend on this exact interface.
 */
import { parseArgs } from 'node:util';
import { type RunningServer, startServer } from './app.js';
import { CREDENTIALS_UNREADABLE } from './auth/credentials.js';
import { defaultDataDir } from './config/data-dir.js';
import { ConfigError, dataDirOf, FLAG_OPTIONS, type Given, givenFromEnv, givenFromFlags, mergeGiven } from './config/given.js';
import { lanPageUrls, lanUrls } from './net/urls.js';
import { CONSOLE_PATH, PUBLIC_PAGE_PATH } from './protocol/endpoints.js';
import { DataDirLocked } from './store/data-dir-lock.js';
import { SERVER_VERSION } from './version.js';

const USAGE = `Usage: npm run serve -- [--host HOST] [--port PORT] [--data-dir DIR]

  --host HOST      address to bind (default: the console's stored setting, else 0.0.0.0:
                   every interface, so the LAN can reach it)
  --port PORT      TCP port for HTTP and the WebSocket API (default: the stored setting, else 8000)
  --data-dir DIR   where the queue, log, sessions and settings are kept
                   (default: $PILEUP_DATA_DIR, else ${defaultDataDir()})
  --wsjtx-port N   listen for WSJT-X/JTDX UDP on port N (usually 2237; 0 = off, the default)
  --n1mm-port N    listen for N1MM Logger+ UDP on port N (usually 12060; 0 = off, the default)
  --bridge-host A  address the UDP bridges bind (default: the server's own, --host)
  --bridge-allow L senders the UDP bridges read, comma-separated addresses or networks
                   (e.g. 192.168.1.0/24,192.168.1.7; default: anyone who can reach the port;
                   this machine always)
  --rigctld A      follow the rig through Hamlib's rigctld at A: HOST[:PORT] (e.g. 127.0.0.1:4532),
                   on (the console's address, else 127.0.0.1:4532) or off (the default)
  --relay URL      connect out to the public relay's NATS server (e.g. tls://relay.example.org:4222;
                   several, comma-separated, for a cluster); wins over the console's setting
  --station-id ID  this station's id on the relay (1-32 of a-z 0-9 -, e.g. ea8abc)
  --reset-password replace the stored admin password with a generated one (shown once)
                   and end every session: the way back in when settings.db is damaged

Environment: ADMIN_USERNAME, ADMIN_PASSWORD (override the stored credentials),
             MAX_QUEUE_SIZE (queue capacity, default 4), PILEUP_DATA_DIR,
             WSJTX_UDP_PORT, N1MM_UDP_PORT, BRIDGE_ALLOW, RIGCTLD_ADDRESS (bridge ports,
             allow-list and rigctld, as the flags; the flags win),
             ALLOWED_ORIGINS, ALLOWED_HOSTS (other sites / host names browsers may use),
             PILEUP_RELAY_URL, PILEUP_STATION_ID (as --relay, --station-id; the flags win),
             PILEUP_RELAY_USER + PILEUP_RELAY_PASSWORD, PILEUP_RELAY_TOKEN or
             PILEUP_RELAY_CREDS (a .creds file): how the station logs in to the relay.`;

function fail(message: string): never {
  console.error(`pileup-buster: ${message}`);
  process.exit(1);
}

function startupFailure(error: unknown, givenHost: string | undefined, givenPort: number | undefined, dataDir: string): string {
  const { code, path: failedPath, address, port: failedPort } = (error ?? {}) as NodeJS.ErrnoException & { address?: string; port?: number };
  if (error instanceof DataDirLocked) {
    return `${error.message}; stop that one first, or choose another --data-dir (if it is really not running, delete ${error.lockFile})`;
  }
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

function announce(server: RunningServer, host: string, dataDir: string, resetPassword: string | undefined): void {
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
  const rig = server.bridges.rig.status();
  if (rig.state !== 'off') lines.push(`Rig: following rigctld at ${rig.host}:${rig.port}`);
  const relay = server.relay.status();
  if (relay.state !== 'off') {
    const settings = server.relay.snapshot().settings;
    const where = `${settings.servers.join(', ')} as station ${settings.station_id ?? '(none)'}`;
    lines.push(relay.state === 'error' ? `Public relay: ${relay.reason ?? 'error'}` : `Public relay: connecting to ${where}`);
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
  if (resetPassword !== undefined) {
    lines.push(
      '',
      `Password reset: new admin password: ${resetPassword}`,
      'It is shown only this once (only its hash is stored); every session has ended.',
      '',
    );
  }
  if (server.credentials.source === 'unreadable') lines.push(`Warning: ${CREDENTIALS_UNREADABLE}`);
  if (server.sessions.endedByDamage) {
    lines.push('Warning: sessions.db was damaged, so every operator session has ended (a damaged line may have been a logout); log in again.');
  }
  const { skipped, backups } = server.storeReport;
  if (skipped.length > 0) {
    lines.push(`Warning: skipped ${skipped.length} corrupt line(s) in the data files:`);
    lines.push(...skipped.map((s) => `  ${s.file} line ${s.line}: ${s.preview}`));
    lines.push(...backups.map((b) => `  the original file was kept as ${b}`));
  }
  lines.push('Press Ctrl+C to stop.');
  console.log(lines.join('\n'));
}

function readArguments(): Given & { help?: boolean; version?: boolean } {
  try {
    const { values } = parseArgs({
      options: { ...FLAG_OPTIONS, help: { type: 'boolean', short: 'h' }, version: { type: 'boolean' } },
      strict: true,
    });
    return { ...mergeGiven(givenFromEnv(process.env), givenFromFlags(values)), help: values.help, version: values.version };
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    fail(`${(error as Error).message}\n${USAGE}`);
  }
}

async function main(): Promise<void> {
  const given = readArguments();
  if (given.help) {
    console.log(USAGE);
    return;
  }
  if (given.version) {
    console.log(SERVER_VERSION);
    return;
  }
  const { host, port } = given;
  const dataDir = dataDirOf(given);

  let server: RunningServer;
  try {
    server = await startServer({ dataDir, host, port, env: process.env, bridges: given.bridges, relay: given.relay });
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
  let resetPassword: string | undefined;
  if (given.resetPassword) {
    try {
      resetPassword = await server.resetPassword();
    } catch (error) {
      await server.close().catch(() => undefined);
      fail(`could not reset the password: ${(error as Error).message}`);
    }
  }
  announce(server, server.host, dataDir, resetPassword);
}

await main();
