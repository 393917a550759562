/**
 * The core on its own, over in-memory storage: the state machine's rules without a socket or a
 * disk, so they run in milliseconds. The wire suite (tests/protocol) proves the same rules
 * end to end.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { PileupService } from '../../server/core/pileup-service.js';
import type { Broadcast } from '../../server/protocol/broadcasts.js';
import type { LogEntry } from '../../server/protocol/entities.js';
import { ProtocolError } from '../../server/protocol/errors.js';
import { MemoryStorage } from '../support/memory-storage.js';

const START = Date.parse('2025-07-23T10:00:00.000Z');
const MINUTE = 60_000;

let now: number;
let storage: MemoryStorage;
let service: PileupService;
let broadcasts: Broadcast[];

async function start(maxQueueSize?: number): Promise<void> {
  service = await PileupService.create({ store: storage, clock: () => now, ...(maxQueueSize !== undefined && { maxQueueSize }) });
  broadcasts = [];
  service.on('broadcast', (message) => broadcasts.push(message));
}

async function refusal(pending: Promise<unknown>): Promise<string> {
  const error = await pending.then(
    () => null,
    (caught: unknown) => caught,
  );
  if (!(error instanceof ProtocolError)) throw new Error(`expected a refusal, got ${String(error)}`);
  return error.code;
}

function imported(callsign: string, endedAt: number, extra: Partial<LogEntry> = {}): LogEntry {
  const at = new Date(endedAt).toISOString();
  return { qso_id: `adif-${callsign}-${endedAt}`, callsign, started_at: at, ended_at: at, source: 'adif_import', ...extra };
}

beforeEach(async () => {
  now = START;
  storage = new MemoryStorage();
  await start();
  await service.toggleSystem(true, 'admin');
  broadcasts = [];
});

describe('register', () => {
  it('queues callers in order and refuses the one over capacity with QUEUE_FULL', async () => {
    for (const call of ['EA1ABC', 'DL1ABC', 'G0ABC', 'W1AW']) await service.register(call);
    expect(await refusal(service.register('JA1XYZ'))).toBe('QUEUE_FULL');
    expect(service.status().queue.map((entry) => entry.callsign)).toEqual(['EA1ABC', 'DL1ABC', 'G0ABC', 'W1AW']);
  });

  it('checks in the protocol order: inactive before an invalid call', async () => {
    await service.toggleSystem(false, 'admin');
    expect(await refusal(service.register('not a call'))).toBe('SYSTEM_INACTIVE');
  });

  it('gives exactly one success to the same call registering many times at once', async () => {
    const outcomes = await Promise.allSettled(Array.from({ length: 20 }, () => service.register('EA1ABC')));
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
  });
});

describe('work next and complete', () => {
  it('logs the current QSO when the next caller is taken, with the band from the frequency', async () => {
    await service.setFrequency('14.205', 'usb');
    await service.register('EA1ABC');
    await service.register('DL1ABC');
    await service.workNext();
    now += 2 * MINUTE;
    await service.workNext();
    expect(service.log.page(0, 10)).toEqual([
      expect.objectContaining({ callsign: 'EA1ABC', frequency: '14.205', band: '20m', mode: 'USB', source: 'queue' }),
    ]);
    expect(service.currentQso()?.callsign).toBe('DL1ABC');
  });
});

describe('modes', () => {
  it('are kept upper case whoever sends them', async () => {
    await service.setFrequency('7.074', ' ft8 ');
    expect(service.status().mode).toBe('FT8');
    await service.sendQso('EA1ABC', { mode: 'cw' });
    expect(service.log.page(0, 1)[0]?.mode).toBe('CW');
  });
});

describe('a failed write changes nothing', () => {
  it('logs nothing and keeps the current QSO when the commit fails', async () => {
    await service.register('EA1ABC');
    await service.workNext();
    broadcasts = [];
    storage.failNext = new Error('ENOSPC');
    await expect(service.completeQso()).rejects.toThrow('ENOSPC');
    expect(service.log.size).toBe(0);
    expect(service.currentQso()?.callsign).toBe('EA1ABC');
    expect(broadcasts).toEqual([]);
  });
});

describe('the log and its derived indexes stay in step', () => {
  it('counts an imported QSO for "worked recently" at once, not only after a restart', async () => {
    await service.setRegistrationRules({ worked_recently_minutes: 30 });
    await service.putLogged([imported('EA1ABC', now - 5 * MINUTE)]);
    expect(await refusal(service.register('EA1ABC'))).toBe('WORKED_RECENTLY');
  });

  it('forgets a deleted QSO for "worked recently", falling back to the call\'s previous QSO', async () => {
    await service.setRegistrationRules({ worked_recently_minutes: 30 });
    const older = imported('EA1ABC', now - 60 * MINUTE);
    const newer = imported('EA1ABC', now - 5 * MINUTE);
    await service.putLogged([older, newer]);
    await service.deleteLogged([newer.qso_id]);
    expect(service.log.lastWorkedAt('EA1ABC')).toBe(Date.parse(older.ended_at));
    await expect(service.register('EA1ABC')).resolves.toMatchObject({ position: 1 });
  });

  it('marks a waiting caller as a dupe once an import puts them in the log on this band and mode', async () => {
    await service.setFrequency('14.074', 'FT8');
    await service.register('DL1ABC');
    expect(service.status().queue[0]?.dupe).toBeUndefined();
    await service.putLogged([imported('DL1ABC', now - MINUTE, { frequency: '14.075', mode: 'FT8' })]);
    expect(service.status().queue[0]?.dupe).toBe(true);
  });

  it('moves a dupe mark with a correction that changes the band', async () => {
    await service.setFrequency('14.074', 'FT8');
    await service.register('DL1ABC');
    const entry = imported('DL1ABC', now - MINUTE, { frequency: '14.075', mode: 'FT8' });
    await service.putLogged([entry]);
    await service.putLogged([{ ...entry, frequency: '7.074', band: '40m' }]);
    expect(service.status().queue[0]?.dupe).toBeUndefined();
  });

  it('gives the wait estimate from the most recent QSOs in the log', async () => {
    for (let i = 0; i < 3; i += 1) await service.putLogged([imported(`EA${i}ABC`, now - (3 - i) * 2 * MINUTE)]);
    const { estimated_wait_s } = await service.register('W1AW');
    expect(estimated_wait_s).toBe(120);
  });
});

describe('restart', () => {
  it('restores the queue, the current QSO and the capacity from storage', async () => {
    await service.setMaxQueueSize(10);
    await service.register('EA1ABC');
    await service.register('DL1ABC');
    await service.workNext();
    await start();
    expect(service.status()).toMatchObject({ system_active: true, queue_size: 1, max_queue_size: 10 });
    expect(service.currentQso()?.callsign).toBe('EA1ABC');
  });

  it('lets a given capacity win over the stored one', async () => {
    await service.setMaxQueueSize(10);
    await start(2);
    expect(service.status().max_queue_size).toBe(2);
  });
});
