/** The listen address stored from the console is used at the next start unless host/port are given. */
import { rm } from 'node:fs/promises';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningServer, type ServerOptions, startServer } from '../../server/app.js';
import { ADMIN, makeDataDir } from '../support/harness.js';

const running: RunningServer[] = [];
const dirs: string[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()));
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

async function start(dataDir: string, given: Partial<ServerOptions> = {}): Promise<RunningServer> {
  const server = await startServer({
    dataDir,
    env: { ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password },
    onUnexpected: () => undefined,
    ...given,
  });
  running.push(server);
  return server;
}

async function stop(server: RunningServer): Promise<void> {
  running.splice(running.indexOf(server), 1);
  await server.close();
}

/** Starts on 127.0.0.1 and any free port, stores `listen`, stops. */
async function storeListen(listen: { host: string; port: number }): Promise<string> {
  const dataDir = await makeDataDir();
  dirs.push(dataDir);
  const first = await start(dataDir, { host: '127.0.0.1', port: 0 });
  expect(await first.localRequest({ type: 'admin_set_listen', ...listen })).toMatchObject({ type: 'success' });
  expect(first.address.port).not.toBe(listen.port);
  await stop(first);
  return dataDir;
}

describe('stored listen address', () => {
  it('is used at the next start when no host or port is given', async () => {
    const port = await freePort();
    const dataDir = await storeListen({ host: '127.0.0.1', port });
    const server = await start(dataDir);
    expect(server.host).toBe('127.0.0.1');
    expect(server.address).toMatchObject({ address: '127.0.0.1', port });
    expect(server.url).toBe(`ws://127.0.0.1:${port}/api/ws`);
    expect(await server.localRequest({ type: 'admin_get_listen' })).toMatchObject({
      data: { host: '127.0.0.1', port, active_host: '127.0.0.1', active_port: port, applies_after_restart: true },
    });
  });

  it('loses to a given host and port, each on its own', async () => {
    const port = await freePort();
    const dataDir = await storeListen({ host: 'localhost', port });

    const givenHost = await start(dataDir, { host: '127.0.0.1' });
    expect(givenHost.host).toBe('127.0.0.1');
    expect(givenHost.address.port).toBe(port);
    await stop(givenHost);

    const givenBoth = await start(dataDir, { host: '127.0.0.1', port: 0 });
    expect(givenBoth.address.port).not.toBe(port);
    // Still stored for the next start without flags.
    expect(await givenBoth.localRequest({ type: 'admin_get_listen' })).toMatchObject({ data: { host: 'localhost', port } });
  });
});
