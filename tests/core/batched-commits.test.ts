/**
 * The core's group commit, on an in-memory storage whose commit the test holds open, counts and
 * fails: commands that arrive while a commit is in flight share the next one; nothing is
 * answered, broadcast or readable before its commit resolved; a failed commit refuses its whole
 * batch and changes nothing.
 */
import { describe, expect, it } from 'vitest';
import { PileupService } from '../../server/core/pileup-service.js';
import { type StorageChange, StorageFailure } from '../../server/core/storage.js';
import type { Broadcast } from '../../server/protocol/broadcasts.js';
import { MemoryStorage } from '../support/memory-storage.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));
const DISK_FULL = new StorageFailure('ENOSPC', 'state.db', 'Could not save to state.db: no space left on the disk; nothing was changed');

async function activeService(): Promise<{ service: PileupService; storage: MemoryStorage; broadcasts: Broadcast[] }> {
  const storage = new MemoryStorage();
  const service = await PileupService.create({ store: storage, clock: () => Date.parse('2025-07-23T10:00:00.000Z') });
  await service.toggleSystem(true, 'test');
  await service.setMaxQueueSize(100);
  const broadcasts: Broadcast[] = [];
  service.on('broadcast', (message) => broadcasts.push(message));
  return { service, storage, broadcasts };
}

function queued(change: StorageChange | undefined): string[] {
  return change?.state?.queue.map((entry) => entry.callsign) ?? [];
}

describe('group commit in the core', () => {
  it('commands that arrive while a commit is in flight share the next commit', async () => {
    const { service, storage } = await activeService();
    const before = storage.commits.length;
    storage.hold = true;
    const first = service.register('K1AA');
    await tick();
    expect(storage.commits).toHaveLength(before + 1);
    const calls = ['K1AB', 'K1AC', 'K1AD', 'K1AE', 'K1AF', 'K1AG', 'K1AH', 'K1AI', 'K1AJ', 'K1AK'];
    const rest = calls.map((call) => service.register(call));
    await tick();
    expect(storage.commits).toHaveLength(before + 1);

    storage.release();
    expect(await first).toMatchObject({ position: 1 });
    const replies = await Promise.all(rest);
    // One more commit for all ten, holding every one of them.
    expect(storage.commits).toHaveLength(before + 2);
    expect(queued(storage.commits.at(-1))).toEqual(['K1AA', ...calls]);
    expect(replies.map((reply) => reply.position)).toEqual(calls.map((_, i) => i + 2));
  });

  it('answers, broadcasts and shows a change only once its commit resolved', async () => {
    const { service, storage, broadcasts } = await activeService();
    storage.hold = true;
    let answered = false;
    const reply = service.register('W1AW').then((result) => {
      answered = true;
      return result;
    });
    await tick();
    expect(answered).toBe(false);
    expect(broadcasts).toEqual([]);
    expect(service.status().queue_size).toBe(0);

    storage.release();
    await reply;
    expect(service.status().queue).toMatchObject([{ callsign: 'W1AW' }]);
    expect(broadcasts.map((b) => b.type)).toEqual(['queue_update']);
  });

  it('broadcasts the commands of one batch in their order, before their replies resolve', async () => {
    const { service, storage, broadcasts } = await activeService();
    storage.hold = true;
    const pending = [service.register('DL1ABC'), service.register('EA1ABC'), service.register('G0ABC')];
    await tick();
    storage.release();
    await Promise.all(pending);
    expect(broadcasts.map((b) => (b.type === 'queue_update' ? b.data.affected_callsign : b.type))).toEqual(['DL1ABC', 'EA1ABC', 'G0ABC']);
  });

  it('refuses every command of a batch whose commit failed, with the storage failure, and changes nothing', async () => {
    const { service, storage, broadcasts } = await activeService();
    await service.register('W1AW');
    storage.hold = true;
    const inFlight = service.register('JA1XYZ');
    await tick();
    const batch = [service.register('G0ABC'), service.register('G0ABC'), service.register('KC1ABC')];
    await tick();
    storage.failNext = DISK_FULL;
    storage.release();
    await inFlight;
    const statusBefore = service.status();
    const eventsBefore = broadcasts.length;

    const results = await Promise.allSettled(batch);
    // The second G0ABC was refused on a change that is now not made: it hears the real reason too.
    expect(results.map((r) => (r.status === 'rejected' ? (r.reason as unknown) : 'accepted'))).toEqual([DISK_FULL, DISK_FULL, DISK_FULL]);
    expect(service.status()).toEqual(statusBefore);
    expect(broadcasts.length).toBe(eventsBefore);
    // Nothing was left half-done: the same commands succeed once the storage works again.
    expect(await service.register('G0ABC')).toMatchObject({ position: 3 });
  });

  it('keeps the own refusal of a command judged before the first accepted one of a failed batch', async () => {
    const { service, storage } = await activeService();
    storage.hold = true;
    const inFlight = service.register('W1AW');
    await tick();
    const batch = [service.register('ABCDEF'), service.register('DL1ABC')];
    await tick();
    storage.failNext = DISK_FULL;
    storage.release();
    await inFlight;
    const results = await Promise.allSettled(batch);
    expect((results[0] as PromiseRejectedResult).reason).toMatchObject({ code: 'INVALID_CALLSIGN' });
    expect((results[1] as PromiseRejectedResult).reason).toBe(DISK_FULL);
  });

  it('ends a batch after a command that changes the log, so the next ones read the log it wrote', async () => {
    const { service, storage } = await activeService();
    await service.register('W1AW');
    await service.workNext();
    storage.hold = true;
    const inFlight = service.register('DL1ABC');
    await tick();
    const completed = service.completeQso();
    const after = service.register('EA1ABC');
    await tick();
    const before = storage.commits.length;
    storage.release();
    await Promise.all([inFlight, completed, after]);
    const [withLog, next] = storage.commits.slice(before);
    expect(withLog?.put).toMatchObject([{ callsign: 'W1AW' }]);
    expect(queued(withLog)).toEqual(['DL1ABC']);
    expect(next?.put).toEqual([]);
    expect(queued(next)).toEqual(['DL1ABC', 'EA1ABC']);
    expect(service.log.size).toBe(1);
  });

  it('a broadcast listener that throws fails only the reply of the command it was told about', async () => {
    const { service, storage, broadcasts } = await activeService();
    const listenerBug = new Error('listener bug');
    service.on('broadcast', (message) => {
      if (message.type === 'queue_update' && message.data.affected_callsign === 'EA1ABC') throw listenerBug;
    });
    storage.hold = true;
    const inFlight = service.register('W1AW');
    await tick();
    const batch = [service.register('DL1ABC'), service.register('EA1ABC'), service.register('G0ABC')];
    await tick();
    storage.release();
    await inFlight;
    const results = await Promise.allSettled(batch);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value.position : r.reason))).toEqual([2, listenerBug, 4]);
    expect(broadcasts.map((b) => (b.type === 'queue_update' ? b.data.affected_callsign : b.type))).toEqual([
      'W1AW',
      'DL1ABC',
      'EA1ABC',
      'G0ABC',
    ]);
    // The change itself was committed before any listener ran; the service keeps serving.
    expect(service.status().queue.map((entry) => entry.callsign)).toEqual(['W1AW', 'DL1ABC', 'EA1ABC', 'G0ABC']);
    expect(await service.register('KC1ABC')).toMatchObject({ position: 5 });
  });

  it('drains every accepted command before it resolves', async () => {
    const { service, storage } = await activeService();
    storage.hold = true;
    const pending = [service.register('W1AW'), service.register('DL1ABC')];
    let drained = false;
    const drain = service.drain().then(() => {
      drained = true;
    });
    await tick();
    expect(drained).toBe(false);
    storage.release();
    await drain;
    await Promise.all(pending);
    expect(service.status().queue_size).toBe(2);
  });
});
