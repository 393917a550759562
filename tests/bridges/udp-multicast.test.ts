/**
 * A UDP listener given a multicast group joins it (WSJT-X can send to 224.0.0.1 / 239.x so
 * several programs hear it). The listener joins on the OS's default multicast interface, so a
 * host without one (a bare container with only loopback) cannot run this: it is skipped there
 * after a probe, rather than failing for a reason that has nothing to do with the code.
 */
import dgram from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { type DatagramJob, UdpListener } from '../../server/bridges/udp-listener.js';
import type { LastDatagram } from '../../server/protocol/bridges.js';
import { freeUdpPort } from './udp-support.js';

const GROUP = '239.255.73.21';

function sendToGroup(port: number, payload: string): Promise<void> {
  const socket = dgram.createSocket('udp4');
  return new Promise<void>((resolve, reject) =>
    socket.send(payload, port, GROUP, (error) => {
      socket.close();
      if (error) reject(error);
      else resolve();
    }),
  );
}

/** Whether a datagram sent to a group joined on the default interface comes back to this host. */
async function multicastWorksHere(): Promise<boolean> {
  const socket = dgram.createSocket({ type: 'udp4', reuseAddr: true });
  try {
    await new Promise<void>((resolve) => socket.bind(0, '0.0.0.0', () => resolve()));
    socket.addMembership(GROUP);
    const heard = new Promise<boolean>((resolve) => {
      socket.once('message', () => resolve(true));
      setTimeout(() => resolve(false), 1000);
    });
    await sendToGroup(socket.address().port, 'probe');
    return await heard;
  } catch {
    return false;
  } finally {
    socket.close();
  }
}

const supported = await multicastWorksHere();
let listener: UdpListener | undefined;

afterEach(async () => {
  await listener?.stop();
  listener = undefined;
});

describe('UDP listener multicast', () => {
  it.skipIf(!supported)('joins the configured group and handles datagrams sent to it', async () => {
    const received: string[] = [];
    const decode = (datagram: Buffer): DatagramJob => ({
      run: () => {
        received.push(datagram.toString());
        return Promise.resolve({ kind: 'test', summary: 'heard' });
      },
    });
    listener = new UdpListener('wsjtx', decode, () => Date.parse('2025-07-23T10:30:00Z'), () => 0);
    const port = await freeUdpPort();
    await listener.listen({ port, address: '0.0.0.0', multicastGroup: GROUP });
    expect(listener.status()).toMatchObject({ state: 'listening', error: null, port });
    const handled = new Promise<LastDatagram>((resolve) => listener?.once('handled', resolve));
    await sendToGroup(port, 'hello group');
    await handled;
    expect(received).toEqual(['hello group']);
    expect(listener.status()).toMatchObject({ datagrams: 1, accepted: 1 });
  });
});
