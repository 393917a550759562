/**
 * What the rigctld client does with answers the dummy rig never gives: a rig-side Hamlib error,
 * silence, another program on the port. A scripted TCP peer on loopback plays rigctld, answering
 * each command line as a real rigctld 4.5 does (the shapes are those of `rigctld -m 1`).
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { rigStatus } from '../support/rig-status.js';
import { activeAdmin, startTestServer, type TestClient, type TestServer } from '../support/harness.js';

type Script = (line: string) => string | null;

/** rigctld -m 1's own answers (extended form), and its plain `\chk_vfo` answer. */
const DUMMY: Script = (line) => {
  if (line === '\\chk_vfo') return '0\n';
  if (line === '+f') return 'get_freq:\nFrequency: 14074000\nRPRT 0\n';
  if (line === '+m') return 'get_mode:\nMode: USB\nPassband: 2400\nRPRT 0\n';
  return 'RPRT -1\n';
};

let peer: net.Server | undefined;
let server: TestServer | undefined;
let admin: TestClient | undefined;

afterEach(async () => {
  await admin?.close();
  await server?.dispose();
  await new Promise((resolve) => (peer === undefined ? resolve(undefined) : peer.close(resolve)));
  peer = server = admin = undefined;
});

async function scriptedPeer(script: Script, onConnection: (socket: net.Socket) => void = () => undefined): Promise<number> {
  const sockets = new Set<net.Socket>();
  peer = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    onConnection(socket);
    let buffer = '';
    socket.setEncoding('latin1').on('data', (chunk: string) => {
      buffer += chunk;
      for (let end = buffer.indexOf('\n'); end >= 0; end = buffer.indexOf('\n')) {
        const answer = script(buffer.slice(0, end));
        buffer = buffer.slice(end + 1);
        if (answer !== null) socket.write(answer);
      }
    });
  });
  const closing = peer.close.bind(peer);
  peer.close = (callback) => {
    for (const socket of sockets) socket.destroy();
    return closing(callback);
  };
  await new Promise<void>((resolve) => peer?.listen(0, '127.0.0.1', resolve));
  return (peer.address() as net.AddressInfo).port;
}

async function follow(port: number, commandTimeoutMs = 10_000): Promise<TestServer> {
  server = await startTestServer({
    bridges: { rigctld_enabled: true, rigctld_host: '127.0.0.1', rigctld_port: port },
    rigTiming: { pollIntervalMs: 20, retryMinMs: 20, retryMaxMs: 100, commandTimeoutMs },
  });
  admin = await activeAdmin(server);
  return server;
}

describe('rigctld answers the dummy rig never gives', () => {
  it('shows a rig-side error in Hamlib words and keeps the connection, then clears it when the rig answers', async () => {
    let rigOff = true;
    const connections: net.Socket[] = [];
    const port = await scriptedPeer(
      (line) => (rigOff && line === '+f' ? 'get_freq:\nRPRT -5\n' : DUMMY(line)),
      (socket) => connections.push(socket),
    );
    const target = await follow(port);
    const failing = await rigStatus(target, (s) => s.error !== null);
    expect(failing).toMatchObject({ state: 'connected', error: 'rig: Communication timed out (RPRT -5 to f)', polls: 0 });
    rigOff = false;
    expect(await rigStatus(target, (s) => s.polls > 0)).toMatchObject({ state: 'connected', error: null, frequency: '14.074', connections: 1 });
    expect(connections).toHaveLength(1);
  });

  it('keeps the connection when the rig reports no usable frequency (0 Hz), and says so', async () => {
    const port = await scriptedPeer((line) => (line === '+f' ? 'get_freq:\nFrequency: 0\nRPRT 0\n' : DUMMY(line)));
    const target = await follow(port);
    expect(await rigStatus(target, (s) => s.error !== null)).toMatchObject({ state: 'connected', error: 'rig: not a frequency from rigctld: "0"' });
    expect((await admin?.admin('admin_get_status'))?.data).toMatchObject({ frequency: null });
  });

  it('drops a rigctld that does not answer in time and connects again', async () => {
    const port = await scriptedPeer((line) => (line === '+m' ? null : DUMMY(line)));
    const target = await follow(port, 100);
    const silent = await rigStatus(target, (s) => s.state === 'error');
    expect(silent.error).toBe('rigctld did not answer m within 0.1 s');
    expect(await rigStatus(target, (s) => s.connections >= 2)).toMatchObject({ polls: 0 });
  });

  it('refuses another program on the port (it talks first, or never ends an answer) and tries again later', async () => {
    const port = await scriptedPeer(() => null, (socket) => socket.write('SSH-2.0-OpenSSH_9.2\r\n'));
    const target = await follow(port);
    expect((await rigStatus(target, (s) => s.state === 'error')).error).toBe('not a rigctld answer (\\chk_vfo answered "SSH-2.0-OpenSSH_9.2")');

    await new Promise((resolve) => peer?.close(resolve));
    const endless = await scriptedPeer((line) => (line === '\\chk_vfo' ? '0\n' : 'x: y\n'.repeat(40)));
    await target.localRequest({ type: 'admin_set_bridges', rigctld_port: endless });
    expect((await rigStatus(target, (s) => s.state === 'error' && s.port === endless)).error).toBe('not a rigctld answer (f never ended with RPRT)');
  });
});
