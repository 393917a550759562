import dgram from 'node:dgram';
import { appendFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { freeUdpPort, wsjtxStatus } from '../bridges/udp-support.js';
import { spawnCli, startCli } from '../support/cli-process.js';
import { dataLines, isCompacted } from '../support/data-files.js';
import { ADMIN, TestClient } from '../support/harness.js';
import { useProcessSuite } from '../support/fixture.js';

const ENV = { ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password };
const suite = useProcessSuite();
const freshDir = () => suite.freshDir();

async function connect(url: string): Promise<TestClient> {
  const client = await TestClient.connect(url);
  suite.keep(client);
  return client;
}

/** The non-empty lines a process wrote to stderr. */
function lines(text: string): string[] {
  return text.split('\n').filter((line) => line.trim() !== '');
}

describe('cli start-up', () => {
  it('prints the WebSocket URL it listens on, and a client can connect there', async () => {
    const cli = await startCli(await freshDir(), ENV);
    expect(cli.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/api\/ws$/);
    const client = await connect(cli.url);
    expect(client.received[0]?.type).toBe('welcome');
  });

  it('prints the operator console and public page URLs, and both pages are served there', async () => {
    const cli = await startCli(await freshDir(), ENV);
    const port = new URL(cli.url).port;
    const [, consoleUrl = ''] = await cli.waitForStdout(/Operator console: (http:\/\/\S+)/);
    const [, publicUrl = ''] = await cli.waitForStdout(/Public page: (http:\/\/\S+)/);
    expect(consoleUrl).toBe(`http://127.0.0.1:${port}/admin`);
    expect(publicUrl).toBe(`http://127.0.0.1:${port}/`);
    for (const url of [consoleUrl, publicUrl]) expect((await fetch(url)).headers.get('content-type')).toBe('text/html; charset=utf-8');
  });

  it('prints a generated admin password on the first run only, and it logs in', async () => {
    const dataDir = await freshDir();
    const first = await startCli(dataDir);
    const [, password = ''] = await first.waitForStdout(/generated admin password: (\S+)/);
    first.child.kill('SIGTERM');
    expect(await first.exited).toEqual({ code: 0, signal: null });

    const second = await startCli(dataDir);
    expect(second.stdout()).not.toContain('generated admin password');
    const client = await connect(second.url);
    expect((await client.request('auth_request', { username: 'admin', password })).type).toBe('auth_response');
  });

  it('warns about skipped corrupt lines and names the backup', async () => {
    const dataDir = await freshDir();
    const first = await startCli(dataDir, ENV);
    first.child.kill('SIGTERM');
    await first.exited;
    await appendFile(path.join(dataDir, 'state.db'), '{"_id":"pileup","act');

    const second = await startCli(dataDir, ENV);
    expect(second.stdout()).toMatch(/skipped 1 corrupt line/);
    expect(second.stdout()).toMatch(/state\.db line \d+: \{"_id":"pileup","act/);
    expect(second.stdout()).toContain(`${path.join(dataDir, 'state.db')}.corrupt-`);
  });
});

describe('cli start-up failures', () => {
  it('a port already in use gives exactly one clear stderr line and exit code 1', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as net.AddressInfo;
    try {
      const cli = spawnCli(['--host', '127.0.0.1', '--port', String(port), '--data-dir', await freshDir()], ENV);
      const exit = await cli.exited;
      expect(exit).toEqual({ code: 1, signal: null });
      expect(lines(cli.stderr())).toEqual([
        expect.stringMatching(new RegExp(`^pileup-buster: port ${port} on 127\\.0\\.0\\.1 is already in use`)),
      ]);
      expect(cli.stdout()).toBe('');
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('a bad --port exits with code 1 and one line saying what a port is', async () => {
    const dataDir = await freshDir();
    // Started together: each is a separate process that exits by itself.
    const runs = ['abc', '70000', '-1', '', '80.5', '1e3'].map((port) => ({
      port,
      cli: spawnCli([`--port=${port}`, '--data-dir', dataDir], ENV),
    }));
    for (const { port, cli } of runs) {
      expect((await cli.exited).code, port).toBe(1);
      expect(lines(cli.stderr())).toEqual([`pileup-buster: --port must be a number from 0 to 65535, got ${JSON.stringify(port)}`]);
    }
  });

  it('an invalid MAX_QUEUE_SIZE exits with code 1 and one line saying what is allowed', async () => {
    const cli = spawnCli(['--host', '127.0.0.1', '--port', '0', '--data-dir', await freshDir()], {
      ...ENV,
      MAX_QUEUE_SIZE: 'lots',
    });
    expect((await cli.exited).code).toBe(1);
    expect(lines(cli.stderr())).toEqual(['pileup-buster: MAX_QUEUE_SIZE must be a whole number from 1 to 1000, got "lots"']);
  });

  it('a data dir that cannot be used exits with code 1 and one line naming it', async () => {
    const notADir = path.join(await freshDir(), 'state.db');
    await appendFile(notADir, '');
    const cli = spawnCli(['--host', '127.0.0.1', '--port', '0', '--data-dir', notADir], ENV);
    expect((await cli.exited).code).toBe(1);
    expect(lines(cli.stderr())).toEqual([expect.stringContaining(`pileup-buster: cannot use the data directory ${notADir}: `)]);
  });

  it('an unknown option exits with code 1, names it and shows the usage', async () => {
    const cli = spawnCli(['--prot', '8000']);
    expect((await cli.exited).code).toBe(1);
    expect(cli.stderr()).toContain("Unknown option '--prot'");
    expect(cli.stderr()).toContain('Usage:');
    expect(cli.stderr()).not.toMatch(/^\s+at /m);
  });
});

describe('cli help', () => {
  it('--help and -h print the usage and exit with code 0 without starting a server', async () => {
    const runs = ['--help', '-h'].map((flag) => spawnCli([flag]));
    for (const cli of runs) {
      expect(await cli.exited).toEqual({ code: 0, signal: null });
      expect(cli.stdout()).toContain('Usage:');
      for (const option of ['--host', '--port', '--data-dir', 'ADMIN_PASSWORD', 'MAX_QUEUE_SIZE']) {
        expect(cli.stdout()).toContain(option);
      }
      expect(cli.stdout()).not.toContain('WebSocket API:');
      expect(cli.stderr()).toBe('');
    }
  });
});

describe('cli shutdown', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('%s closes cleanly with exit code 0 and compacts the data', async (signal) => {
    const dataDir = await freshDir();
    const cli = await startCli(dataDir, ENV);
    // A connected client must not keep the process alive.
    const admin = await connect(cli.url);
    await admin.login();
    await admin.admin('admin_toggle_system', { active: true });
    for (const callsign of ['W1AW', 'DL1ABC', 'JA1XYZ']) await admin.request('register_callsign', { callsign });
    await admin.admin('admin_work_next');
    expect((await dataLines(dataDir, 'state.db')).length).toBeGreaterThan(3);

    cli.child.kill(signal);

    expect(await cli.exited).toEqual({ code: 0, signal: null });
    expect(cli.stderr()).toBe('');
    // One line for the pileup and one for each of the two stations still waiting.
    expect(await dataLines(dataDir, 'state.db')).toHaveLength(3);
    for (const file of ['state.db', 'log.db', 'sessions.db', 'settings.db'] as const) {
      expect(await isCompacted(dataDir, file)).toBe(true);
    }
    const restarted = await startCli(dataDir, ENV);
    const status = (await (await connect(restarted.url)).request('get_queue_status')).data;
    expect(status).toMatchObject({ system_active: true, queue_size: 2, current_qso: { callsign: 'W1AW' } });
  });
});

describe('cli bridge options', () => {
  it('--wsjtx-port and --bridge-host start the WSJT-X bridge, and its Status sets the frequency', async () => {
    const port = await freeUdpPort();
    const cli = spawnCli(
      ['--host', '127.0.0.1', '--port', '0', '--data-dir', await freshDir(), '--wsjtx-port', String(port), '--bridge-host', '127.0.0.1'],
      ENV,
    );
    const [, url] = await cli.waitForStdout(/WebSocket API: (ws:\/\/\S+)/);
    await cli.waitForStdout(new RegExp(`WSJT-X/JTDX bridge: listening on UDP 127\\.0\\.0\\.1:${port}`));
    const client = await connect(url ?? '');
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve, reject) =>
      socket.send(wsjtxStatus(14_074_000, 'FT8'), port, '127.0.0.1', (error) => (error ? reject(error) : resolve())),
    );
    socket.close();
    await vi.waitFor(async () => {
      const reply = await client.request('get_queue_status');
      expect(reply.data).toMatchObject({ frequency: '14.074', mode: 'FT8' });
    });
  });

  it('binds the bridges to the --host address when no --bridge-host is given', async () => {
    const port = await freeUdpPort();
    const cli = spawnCli(['--host', '127.0.0.1', '--port', '0', '--data-dir', await freshDir(), '--wsjtx-port', String(port)], ENV);
    await cli.waitForStdout(new RegExp(`WSJT-X/JTDX bridge: listening on UDP 127\\.0\\.0\\.1:${port}`));
  });

  it('a --bridge-allow entry that is not an address or network exits with code 1 and one line naming it', async () => {
    const cli = spawnCli(['--host', '127.0.0.1', '--port', '0', '--data-dir', await freshDir(), '--bridge-allow', '192.168.1.0/24,shack-pc'], ENV);
    expect((await cli.exited).code).toBe(1);
    expect(lines(cli.stderr())).toEqual(['pileup-buster: --bridge-allow: "shack-pc" is not an IP address or a network such as 192.168.1.0/24']);
  });

  it('N1MM_UDP_PORT starts the N1MM bridge without a flag', async () => {
    const port = await freeUdpPort();
    const cli = spawnCli(['--host', '127.0.0.1', '--port', '0', '--data-dir', await freshDir(), '--bridge-host', '127.0.0.1'], {
      ...ENV,
      N1MM_UDP_PORT: String(port),
    });
    await cli.waitForStdout(new RegExp(`N1MM Logger\\+ bridge: listening on UDP 127\\.0\\.0\\.1:${port}`));
    expect(cli.stdout()).not.toMatch(/WSJT-X\/JTDX bridge/);
  });
});

describe('cli relay options', () => {
  it('--relay and --station-id start the relay, and the banner says where it connects', async () => {
    const [closed] = await new Promise<number[]>((resolve) => {
      const server = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as net.AddressInfo;
        server.close(() => resolve([port]));
      });
    });
    const cli = spawnCli(
      ['--host', '127.0.0.1', '--port', '0', '--data-dir', await freshDir(), '--relay', `127.0.0.1:${closed}`, '--station-id', 'ea8abc'],
      { ...ENV, PILEUP_RELAY_USER: 'station-ea8abc', PILEUP_RELAY_PASSWORD: 'never-printed-secret' },
    );
    await cli.waitForStdout(/Press Ctrl\+C to stop\./);
    expect(cli.stdout()).toMatch(new RegExp(`Public relay: (connecting to 127\\.0\\.0\\.1:${closed} as station ea8abc|connection refused)`));
    expect(`${cli.stdout()}${cli.stderr()}`).not.toContain('never-printed-secret');
    const client = await TestClient.connect(cli.stdout().match(/WebSocket API: (ws:\/\/\S+)/)?.[1] ?? '');
    expect((await client.request('get_queue_status')).type).toBe('success');
    await client.close();
  });

  it('an unusable --relay or PILEUP_STATION_ID exits with code 1 and one line naming it', async () => {
    const badUrl = spawnCli(['--host', '127.0.0.1', '--port', '0', '--data-dir', await freshDir(), '--relay', 'wss://relay.example.org'], ENV);
    expect((await badUrl.exited).code).toBe(1);
    expect(lines(badUrl.stderr())).toEqual([expect.stringMatching(/^pileup-buster: --relay: each URL must be nats:\/\//)]);
    const badId = spawnCli(['--host', '127.0.0.1', '--port', '0', '--data-dir', await freshDir()], { ...ENV, PILEUP_STATION_ID: 'EA8/ABC' });
    expect((await badId.exited).code).toBe(1);
    expect(lines(badId.stderr())).toEqual([expect.stringMatching(/^pileup-buster: PILEUP_STATION_ID must be 1–32/)]);
  });
});
