/**
 * The station settings service: the stored settings (settings.db) merged over the defaults,
 * saved one change at a time, and handed to whoever follows them (the core) after each save.
 */
import { SerialQueue } from '../async/serial-queue.js';
import {
  DEFAULT_STATION,
  type StationChanges,
  type StationSettings,
  stationSettingsSchema,
} from '../protocol/station.js';

export interface StationStore {
  /** The settings as saved; unchecked (this service validates). */
  loadStationSettings(): Promise<unknown>;
  saveStationSettings(settings: StationSettings): Promise<void>;
}

function merged(base: StationSettings, changes: Partial<Omit<StationSettings, 'sounds'>> & { sounds?: Partial<StationSettings['sounds']> }): StationSettings {
  const defined = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
  return { ...base, ...defined, sounds: { ...base.sounds, ...changes.sounds } } as StationSettings;
}

export class Station {
  private readonly saves = new SerialQueue();

  private constructor(
    private readonly store: StationStore,
    private settings: StationSettings,
    /** Why the stored settings were not used, when they could not be. */
    readonly problem: string | null,
  ) {}

  /** Stored settings that do not pass today's rules fall back to the defaults (and say so). */
  static async open(store: StationStore): Promise<Station> {
    const stored = await store.loadStationSettings();
    if (stored === null || typeof stored !== 'object') return new Station(store, structuredClone(DEFAULT_STATION), null);
    const parsed = stationSettingsSchema.safeParse(merged(DEFAULT_STATION, stored as StationChanges));
    if (parsed.success) return new Station(store, parsed.data, null);
    const problem = `The stored station settings could not be used (${parsed.error.issues.map((issue) => issue.path.join('.')).join(', ')}); the defaults apply`;
    return new Station(store, structuredClone(DEFAULT_STATION), problem);
  }

  get current(): StationSettings {
    return structuredClone(this.settings);
  }

  /**
   * Stores checked changes over the current settings, then hands the result to `apply` before
   * the next save may start, so followers see saves in the order they were stored.
   */
  save(changes: StationChanges, apply: (settings: StationSettings) => Promise<void>): Promise<StationSettings> {
    return this.saves.run(async () => {
      const next = merged(this.settings, changes);
      await this.store.saveStationSettings(next);
      this.settings = next;
      await apply(structuredClone(next));
      return structuredClone(next);
    });
  }
}
