/** The core on its own: a PileupService over a real store in a fresh temp dir, on a hand-moved clock. */
import { rm } from 'node:fs/promises';
import { PileupService } from '../../server/core/pileup-service.js';
import { DEFAULT_STATION, type StationSettings } from '../../server/protocol/station.js';
import type { Broadcast } from '../../server/protocol/broadcasts.js';
import { PileupStore } from '../../server/store/pileup-store.js';
import { CLOCK_START } from './fixture.js';
import { makeDataDir } from './harness.js';

export interface CoreFixture {
  service: PileupService;
  broadcasts: Broadcast[];
  clock: { now: number; advance(ms: number): void };
  dispose(): Promise<void>;
}

export async function openCore(station: Partial<StationSettings> = {}): Promise<CoreFixture> {
  const dataDir = await makeDataDir();
  const store = await PileupStore.open(dataDir);
  const clock = {
    now: CLOCK_START,
    advance(ms: number) {
      clock.now += ms;
    },
  };
  const service = await PileupService.create({ store, clock: () => clock.now, station: { ...DEFAULT_STATION, ...station } });
  const broadcasts: Broadcast[] = [];
  service.on('broadcast', (message) => broadcasts.push(message));
  await service.toggleSystem(true, 'test');
  broadcasts.length = 0;
  return {
    service,
    broadcasts,
    clock,
    async dispose() {
      await service.drain();
      await store.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export function waiting(service: PileupService): string[] {
  return service.status().queue.map((entry) => entry.callsign);
}
