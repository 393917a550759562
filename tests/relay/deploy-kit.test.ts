/**
 * The deployment kit as shipped (deploy/relay/): the single-node nats-server.conf runs with TLS
 * on both listeners, the station connects over tls:// and answers a public client that reached
 * it over TLS, and the WebSocket takes only the site's Origin. Only what must differ on a test
 * machine is replaced (ports, file paths, a self-signed certificate for localhost), each
 * replacement checked to match exactly once, so the kit cannot drift from this test unnoticed.
 * The nginx site runs in front of it, with nginx itself (skipped loudly when nginx is missing).
 * The cluster node files are checked by nats-server itself (`-t`).
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request as httpsRequest } from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { connect } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { relayNames } from '../../server/protocol/relay.js';
import { ensureBuilt, killAllClis, REPO_ROOT, spawnCli } from '../support/cli-process.js';
import { e2eRequired, warnSkipped } from '../support/e2e-required.js';
import { deriveAccounts, freePorts, killAllNatsServers, NATS_SERVER_PATH, natsSuite } from '../support/nats-server.js';

const execFileAsync = promisify(execFile);
const KIT = path.join(REPO_ROOT, 'deploy', 'relay');
const STATION = { id: 'ea8abc', password: 'station-password-1' };
const ORIGIN = 'https://relay.example.org';

/** Applies each [from, to]; every `from` must occur exactly once. */
function replaceOnce(text: string, file: string, replacements: [string, string][]): string {
  let result = text;
  for (const [from, to] of replacements) {
    const count = result.split(from).length - 1;
    if (count !== 1) throw new Error(`${file}: expected ${JSON.stringify(from)} once, found it ${count} times`);
    result = result.replace(from, to);
  }
  return result;
}

function replaceAll(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`expected ${JSON.stringify(from)} in the kit`);
  return text.replaceAll(from, to);
}

async function selfSignedCertificate(dir: string): Promise<{ cert: string; key: string }> {
  const cert = path.join(dir, 'fullchain.pem');
  const key = path.join(dir, 'privkey.pem');
  await execFileAsync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=localhost',
    '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-keyout', key, '-out', cert,
  ]);
  return { cert, key };
}

const NGINX_PATH = '/usr/sbin/nginx';

/** Opens a WebSocket through `url` with the site's Origin; resolves with what happened. */
function upgrade(url: string, ca: string): Promise<string> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers: { origin: ORIGIN }, ca });
    ws.once('open', () => resolve('open'));
    ws.once('unexpected-response', (_request, response) => resolve(`refused ${response.statusCode}`));
    ws.once('error', (error) => resolve(`error ${error.message}`));
    // Kept open: the per-address connection limit counts open ones.
    sockets.push(ws);
  });
}
const sockets: WebSocket[] = [];

/**
 * deploy/relay/nginx/pileup-relay.conf with nginx itself: serves the site with its headers,
 * passes the WebSocket to nats-server's TLS WebSocket, and limits new upgrades per address.
 */
async function checkNginxSite(home: string, tlsDir: string, natsWebsocket: number, ca: string): Promise<void> {
  if (!existsSync(NGINX_PATH)) {
    if (e2eRequired) throw new Error(`E2E_REQUIRED=1 but ${NGINX_PATH} is missing: apt-get install -y nginx-light`);
    warnSkipped('THE KIT’S NGINX SITE CHECK', `${NGINX_PATH} is missing`, 'Install it with `apt-get install -y nginx-light`');
    return;
  }
  const [http = 0, https = 0] = await freePorts(2);
  const root = path.join(home, 'site');
  await mkdir(root, { recursive: true });
  await writeFile(path.join(root, 'index.html'), '<!doctype html><title>queue</title>');
  const site = replaceAll(
    replaceOnce(await readFile(path.join(KIT, 'nginx', 'pileup-relay.conf'), 'utf8'), 'pileup-relay.conf', [
      ['  listen 80;\n', `  listen 127.0.0.1:${http};\n`],
      ['  listen [::]:80;\n', ''],
      ['  listen 443 ssl http2;\n', `  listen 127.0.0.1:${https} ssl http2;\n`],
      ['  listen [::]:443 ssl http2;\n', ''],
      ['root /var/www/pileup;', `root ${root};`],
      ['proxy_pass https://127.0.0.1:8443;', `proxy_pass https://127.0.0.1:${natsWebsocket};`],
    ]),
    '/etc/letsencrypt/live/relay.example.org/',
    `${tlsDir}/`,
  );
  await writeFile(path.join(home, 'pileup-relay.conf'), site);
  await writeFile(
    path.join(home, 'nginx.conf'),
    [
      'daemon off;',
      'master_process off;',
      `pid ${path.join(home, 'nginx.pid')};`,
      `error_log ${path.join(home, 'error.log')};`,
      'events { worker_connections 512; }',
      `http { access_log off; include /etc/nginx/mime.types; include ${path.join(home, 'pileup-relay.conf')}; }`,
    ].join('\n'),
  );
  const nginx = spawn(NGINX_PATH, ['-p', home, '-c', path.join(home, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  nginx.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    log += chunk;
  });
  try {
    const base = `https://localhost:${https}`;
    const agent = { ca, servername: 'localhost' };
    const get = (pathname: string) =>
      new Promise<{ status: number; headers: Record<string, unknown> }>((resolve, reject) => {
        const request = httpsRequest(`${base}${pathname}`, agent, (response) => {
          response.resume();
          resolve({ status: response.statusCode ?? 0, headers: response.headers });
        });
        request.once('error', reject);
        request.end();
      });
    await expect.poll(() => get('/').then((response) => response.status, () => 0), { timeout: 10_000 }).toBe(200);
    const page = await get('/');
    expect(page.headers).toMatchObject({ 'x-frame-options': 'SAMEORIGIN', 'x-content-type-options': 'nosniff' });
    expect((await get('/status.html')).headers['x-frame-options']).toBeUndefined();
    // The WebSocket reaches nats-server through nginx, with the site's Origin …
    expect(await upgrade(`wss://localhost:${https}/nats`, ca)).toBe('open');
    // … and one address cannot open upgrades without limit (2 per second, a burst of 20).
    const outcomes = await Promise.all(Array.from({ length: 30 }, () => upgrade(`wss://localhost:${https}/nats`, ca)));
    expect(outcomes).toContain('refused 429');
    expect(outcomes).toContain('open');
  } catch (error) {
    throw new Error(`${(error as Error).message}\nnginx: ${log}`, { cause: error });
  } finally {
    for (const ws of sockets.splice(0)) ws.terminate();
    nginx.kill('SIGTERM');
  }
}

natsSuite(describe)('the deployment kit (deploy/relay)', () => {
  let dir: string;
  let tlsDir: string;
  let certificate: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'pileup-deploy-kit-'));
    tlsDir = path.join(dir, 'tls');
    await mkdir(tlsDir);
    certificate = (await selfSignedCertificate(tlsDir)).cert;
  });

  afterAll(async () => {
    await killAllClis();
    await killAllNatsServers();
    await rm(dir, { recursive: true, force: true });
  });

  it('nats-server.conf: TLS for stations and the WebSocket; a station over tls:// answers a public client', async () => {
    await ensureBuilt();
    const [client = 0, websocket = 0, monitor = 0] = await freePorts(3);
    const home = path.join(dir, 'single');
    await mkdir(home);
    const shipped = await readFile(path.join(KIT, 'nats-server.conf'), 'utf8');
    const config = replaceAll(
      replaceOnce(shipped, 'nats-server.conf', [
        ['listen: 0.0.0.0:4222', `listen: 127.0.0.1:${client}`],
        ['http: 127.0.0.1:8222', `http: 127.0.0.1:${monitor}`],
        ['listen: "127.0.0.1:8443"', `listen: "127.0.0.1:${websocket}"`],
        ['store_dir: "/var/lib/nats/jetstream"', `store_dir: ${JSON.stringify(path.join(home, 'jetstream'))}`],
      ]),
      '/etc/nats/tls/',
      `${tlsDir}/`,
    );
    await writeFile(path.join(home, 'nats-server.conf'), config);
    await writeFile(path.join(home, 'pileup-accounts.conf'), await deriveAccounts([STATION]));
    const nats = spawn(NATS_SERVER_PATH, ['-c', path.join(home, 'nats-server.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    nats.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      log += chunk;
    });
    try {
      await expect.poll(() => log.includes('Server is ready') || nats.exitCode !== null, { timeout: 15_000 }).toBe(true);
      expect(nats.exitCode, log).toBeNull();

      // Plain text is refused on the stations' port.
      await expect(connect({ servers: `127.0.0.1:${client}`, tls: null, timeout: 3000 })).rejects.toThrow();

      const station = spawnCli(
        ['--host', '127.0.0.1', '--port', '0', '--data-dir', path.join(home, 'station'), '--relay', `tls://localhost:${client}`, '--station-id', STATION.id],
        { PILEUP_RELAY_USER: 'station-ea8abc', PILEUP_RELAY_PASSWORD: STATION.password, NODE_EXTRA_CA_CERTS: certificate },
      );
      await station.waitForStdout(/Press Ctrl\+C to stop\./);
      const ca = await readFile(certificate, 'utf8');
      const browser = await connect({ servers: `tls://localhost:${client}`, tls: { ca } });
      await expect
        .poll(async () => {
          const reply = await browser.request(relayNames(STATION.id).requests, '{"type":"ping","request_id":"p"}', { timeout: 2000 }).catch(() => null);
          return reply?.json<{ type: string }>().type ?? 'no answer yet';
        }, { timeout: 20_000, interval: 200 })
        .toBe('pong');
      await browser.close();

      const open = (origin: string) =>
        new Promise<string>((resolve) => {
          const ws = new WebSocket(`wss://localhost:${websocket}/nats`, { headers: { origin }, ca });
          ws.once('open', () => {
            ws.close();
            resolve('open');
          });
          ws.once('unexpected-response', (_request, response) => resolve(`refused ${response.statusCode}`));
          ws.once('error', (error) => resolve(`error ${error.message}`));
        });
      expect(await open(ORIGIN)).toBe('open');
      expect(await open('https://evil.example')).toBe('refused 403');
      await checkNginxSite(path.join(dir, 'nginx'), tlsDir, websocket, ca);
      station.child.kill('SIGTERM');
      await station.exited;
    } finally {
      nats.kill('SIGTERM');
    }
  }, 90_000);

  it.each(['node-a', 'node-b', 'node-c'])('cluster/%s.conf is a valid nats-server configuration', async (node) => {
    const home = path.join(dir, node);
    await mkdir(home, { recursive: true });
    await copyFile(path.join(KIT, 'cluster', `${node}.conf`), path.join(home, 'nats-server.conf'));
    const common = await readFile(path.join(KIT, 'cluster', 'cluster-common.conf'), 'utf8');
    await writeFile(
      path.join(home, 'cluster-common.conf'),
      replaceAll(
        replaceOnce(common, 'cluster-common.conf', [['store_dir: "/var/lib/nats/jetstream"', `store_dir: ${JSON.stringify(path.join(home, 'js'))}`]]),
        '/etc/nats/tls/',
        `${tlsDir}/`,
      ),
    );
    await writeFile(path.join(home, 'pileup-accounts.conf'), await deriveAccounts([STATION]));
    const { stderr, stdout } = await execFileAsync(NATS_SERVER_PATH, ['-t', '-c', path.join(home, 'nats-server.conf')]);
    expect(`${stdout}${stderr}`).toMatch(/configuration file .* is valid/);
  });
});
