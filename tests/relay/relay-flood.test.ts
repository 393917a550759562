/**
 * A flood of requests through the relay cannot grow the station's memory: beyond MAX_IN_FLIGHT
 * waiting requests, new ones are dropped unanswered (and counted); the ones taken are answered.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { connect, createInbox } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { success } from '../../server/protocol/reply.js';
import { relayNames } from '../../server/protocol/relay.js';
import { MAX_IN_FLIGHT, RelayResponder } from '../../server/relay/responder.js';
import { killAllNatsServers, type NatsServer, natsSuite, startNatsServer } from '../support/nats-server.js';

const STATION = { id: 'ea8abc', password: 'station-password-1' };

natsSuite(describe)('a flood of relay requests', () => {
  let dir: string;
  let nats: NatsServer;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'pileup-relay-flood-'));
    nats = await startNatsServer({ dir, stations: [STATION] });
  });

  afterAll(async () => {
    await nats?.stop();
    await killAllNatsServers();
    await rm(dir, { recursive: true, force: true });
  });

  it(`is bounded at ${MAX_IN_FLIGHT} waiting requests; the rest are dropped and counted`, async () => {
    const station = await connect({ servers: nats.url, user: 'station-ea8abc', pass: STATION.password, inboxPrefix: '_INBOX_ea8abc' });
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const responder = new RelayResponder(STATION.id, async () => {
      await gate;
      return success(null, 'ok', {});
    }, (error) => {
      throw error;
    });
    responder.attach(station);
    await station.flush();

    const caller = await connect({ servers: nats.url });
    const inbox = createInbox();
    let answers = 0;
    caller.subscribe(`${inbox}.*`, {
      callback: () => {
        answers += 1;
      },
    });
    const FLOOD = MAX_IN_FLIGHT + 50;
    // Each request with its own reply subject, as every NATS client sends them.
    for (let i = 0; i < FLOOD; i += 1) caller.publish(relayNames(STATION.id).requests, '{"type":"ping"}', { reply: `${inbox}.${i}` });
    await caller.flush();
    await expect.poll(() => responder.dropped, { timeout: 10_000 }).toBe(FLOOD - MAX_IN_FLIGHT);
    release();
    await expect.poll(() => answers, { timeout: 10_000 }).toBe(MAX_IN_FLIGHT);
    expect(responder.answered).toBe(MAX_IN_FLIGHT);
    responder.detach();
    await caller.close();
    await station.close();
  });
});
