/**
 * What a ban took out of the queue, remembered for a minute so the operator can undo a ban
 * pressed by mistake and give the callers their places back. In memory only: a restart within
 * that minute forgets it (the ban itself is stored, and can still be lifted).
 */
import type { PersistedQueueEntry } from './storage.js';

export const BAN_UNDO_MS = 60_000;

export interface TakenPlace {
  entry: PersistedQueueEntry;
  /** Its index in the queue when the ban took it. */
  index: number;
}

export class BanUndo {
  private readonly taken = new Map<string, { at: number; places: TakenPlace[] }>();

  remember(callsign: string, places: TakenPlace[], now: number): void {
    this.forgetOlderThan(now);
    this.taken.set(callsign, { at: now, places: structuredClone(places) });
  }

  /** The places the ban of `callsign` took, if it was less than a minute ago; in queue order. */
  recall(callsign: string, now: number): TakenPlace[] {
    const remembered = this.taken.get(callsign);
    if (remembered === undefined || now - remembered.at >= BAN_UNDO_MS) return [];
    return structuredClone(remembered.places).sort((a, b) => a.index - b.index);
  }

  forget(callsign: string): void {
    this.taken.delete(callsign);
  }

  /** Keeps the map as small as the bans of the last minute. */
  private forgetOlderThan(now: number): void {
    for (const [callsign, { at }] of this.taken) if (now - at >= BAN_UNDO_MS) this.taken.delete(callsign);
  }
}
