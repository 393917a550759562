/**
 * The shipped permissions (deploy/relay/pileup-accounts.conf) against a real nats-server: what a
 * browser (no credentials) may and may not do, and what one station may not do to another.
 */
import { jetstream } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { connect, type NatsConnection, type Status } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { relayNames } from '../../server/protocol/relay.js';
import type { TestClient, TestServer } from '../support/harness.js';
import { type NatsServer, natsSuite } from '../support/nats-server.js';
import { type PublicClient, type RelayedSuite, startRelayedSuite } from '../support/relay.js';

const EA8ABC = { id: 'ea8abc', password: 'station-password-1' };
const K1ABC = { id: 'k1abc', password: 'station-password-2' };
const ALLOWED_ORIGIN = 'https://relay.example.org';
const names = relayNames(EA8ABC.id);

/** The next permission violation the server reports on this connection. */
function nextViolation(nc: NatsConnection): Promise<string> {
  return (async () => {
    for await (const status of nc.status() as AsyncIterable<Status>) {
      if (status.type === 'error' && /Permissions Violation/.test(status.error.message)) return status.error.message;
    }
    return 'closed without a violation';
  })();
}

natsSuite(describe)('relay permissions (the shipped accounts file)', () => {
  let suite: RelayedSuite | undefined;
  let nats: NatsServer;
  let server: TestServer;
  let console_: TestClient;
  /** Sees everything published on the station's events, to prove nothing foreign arrives there. */
  let watcher: PublicClient;

  async function anonymous(): Promise<NatsConnection> {
    return connect({ servers: nats.url });
  }

  beforeAll(async () => {
    // Heartbeats often, so a plain subscriber sees one soon.
    suite = await startRelayedSuite(EA8ABC, {
      nats: { stations: [EA8ABC, K1ABC], allowedOrigins: [ALLOWED_ORIGIN] },
      server: { relayPresenceIntervalMs: 200 },
    });
    ({ nats, server, console_, watcher } = suite);
  });

  afterAll(() => suite?.stop());

  describe('a client without credentials (a browser)', () => {
    it('may send requests, read status and presence, and follow events and the heartbeat', async () => {
      const nc = await anonymous();
      const heartbeat = nc.subscribe(names.presenceSubject, { max: 1 });
      const kv = await new Kvm(jetstream(nc, { checkAPI: false })).open(names.bucket, { allow_direct: true });
      expect((await kv.get('status'))?.json()).toMatchObject({ system_active: true });
      expect((await kv.get('presence'))?.json()).toMatchObject({ online: true });
      expect((await kv.status()).history).toBe(1);
      const watch = await kv.watch({ key: 'status' });
      const first = (await watch[Symbol.asyncIterator]().next()).value;
      expect(first?.key).toBe('status');
      watch.stop();
      const reply = await nc.request(names.requests, JSON.stringify({ type: 'register_callsign', callsign: 'EA1ABC' }), { timeout: 5000 });
      expect(reply.json()).toMatchObject({ type: 'success', data: { callsign: 'EA1ABC' } });
      for await (const beat of heartbeat) expect(beat.json()).toMatchObject({ online: true });
      await nc.close();
    });

    it('may not publish events', async () => {
      const nc = await anonymous();
      const violation = nextViolation(nc);
      nc.publish(names.events, JSON.stringify({ type: 'queue_update', timestamp: new Date().toISOString(), data: {} }));
      expect(await violation).toMatch(/Publish to "pileup\.ea8abc\.events"/);
      await nc.close();
    });

    it('may not write or delete KV values', async () => {
      const nc = await anonymous();
      const kv = await new Kvm(jetstream(nc, { checkAPI: false })).open(names.bucket, { allow_direct: true });
      await expect(kv.put('status', '{"system_active":false}')).rejects.toThrow(/Permissions Violation/);
      await expect(kv.delete('presence')).rejects.toThrow(/Permissions Violation/);
      expect((await kv.get('status'))?.json()).toMatchObject({ system_active: true });
      await nc.close();
    });

    it('may not read the requests of any station', async () => {
      for (const subject of [names.requests, 'pileup.*.request', 'pileup.>', '>']) {
        const nc = await anonymous();
        const violation = nextViolation(nc);
        nc.subscribe(subject);
        expect(await violation, subject).toMatch(/Subscription to/);
        await nc.close();
      }
    });

    it.each([
      ['delete the bucket', `$JS.API.STREAM.DELETE.${names.stream}`, ''],
      ['purge the bucket', `$JS.API.STREAM.PURGE.${names.stream}`, ''],
      ['create a stream', '$JS.API.STREAM.CREATE.MINE', JSON.stringify({ name: 'MINE', subjects: ['pileup.ea8abc.request'] })],
      ['list streams', '$JS.API.STREAM.LIST', ''],
      ['read a stream message by number', `$JS.API.STREAM.MSG.GET.${names.stream}`, JSON.stringify({ seq: 1 })],
      ['consume everything in the bucket', `$JS.API.CONSUMER.CREATE.${names.stream}.spy.$KV.pileup-ea8abc.>`, '{}'],
    ])('may not %s', async (_what, subject, body) => {
      const nc = await anonymous();
      await expect(nc.request(subject, body, { timeout: 3000 })).rejects.toThrow(/Permissions Violation/);
      await nc.close();
    });

    it('cannot make the station write its own bucket or events by naming them as the reply subject', async () => {
      const nc = await anonymous();
      const before = await watcher.status();
      const dropped = server.relay.status().requests_dropped;
      for (const reply of [names.statusSubject, names.presenceSubject, names.events]) {
        nc.publish(names.requests, JSON.stringify({ type: 'ping' }), { reply });
      }
      await nc.flush();
      await expect.poll(() => server.relay.status().requests_dropped, { timeout: 5000 }).toBe(dropped + 3);
      expect(await watcher.status()).toEqual(before);
      expect(watcher.events.filter((event) => (event.type as string) === 'pong')).toEqual([]);
      expect((await watcher.presence())?.online).toBe(true);
      await nc.close();
    });

    it('reaches no admin operation through the relay', async () => {
      const reply = await watcher.request({ type: 'admin_clear_queue', session_token: console_.token });
      expect(reply).toMatchObject({ error_code: 'INVALID_REQUEST', message: 'admin_clear_queue is not available through the relay' });
      expect(server.service.status().queue_size).toBeGreaterThan(0);
    });
  });

  describe('another station', () => {
    let other: NatsConnection;

    beforeAll(async () => {
      other = await connect({ servers: nats.url, user: 'station-k1abc', pass: K1ABC.password, inboxPrefix: '_INBOX_k1abc' });
    });

    afterAll(async () => {
      await other?.close();
    });

    it('may not publish events for it', async () => {
      const violation = nextViolation(other);
      other.publish(names.events, '{}');
      expect(await violation).toMatch(/Publish to "pileup\.ea8abc\.events"/);
    });

    it("may not read its requests, nor everyone's replies", async () => {
      for (const subject of [names.requests, '_INBOX.>']) {
        const violation = nextViolation(other);
        other.subscribe(subject);
        expect(await violation, subject).toMatch(/Subscription to/);
      }
    });

    it('may not write its bucket or take it over', async () => {
      const violation = nextViolation(other);
      other.publish(names.statusSubject, '{}');
      expect(await violation).toMatch(/Publish to "\$KV\.pileup-ea8abc\.status"/);
      await expect(other.request(`$JS.API.STREAM.DELETE.${names.stream}`, '', { timeout: 3000 })).rejects.toThrow(/Permissions Violation/);
    });
  });

  describe('the WebSocket', () => {
    function open(origin: string): Promise<string> {
      return new Promise((resolve) => {
        const ws = new WebSocket(nats.wsUrl, { headers: { origin } });
        ws.once('open', () => {
          ws.close();
          resolve('open');
        });
        ws.once('unexpected-response', (_request, response) => resolve(`refused ${response.statusCode}`));
        ws.once('error', () => resolve('error'));
      });
    }

    it('accepts pages from the allowed origin and refuses others', async () => {
      expect(await open(ALLOWED_ORIGIN)).toBe('open');
      expect(await open('https://evil.example')).toBe('refused 403');
    });
  });
});
