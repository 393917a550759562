/**
 * The queue as callers see it: positions, countries, bearings, dupe and no-show marks. Every
 * registration broadcasts the first 100 of it, and once 100 are waiting a registration (the
 * pileup's busiest command) changes none of them. So the view of the broadcast is kept: while
 * the same entries stand in the same places and nothing else it shows changed, the same array
 * is handed out again, and its JSON is reused with it (protocol/broadcast-json.ts).
 */
import { countryFields } from '../ham/country.js';
import type { LatLon } from '../ham/geo.js';
import { positionFields } from '../ham/position.js';
import type { QueueEntry } from '../protocol/entities.js';
import type { PersistedQueueEntry } from './storage.js';

/** What a view shows besides the entries: dupes depend on the log, the band and the mode; bearings on the station. */
export interface ViewContext {
  origin: LatLon | null;
  logRevision: number;
  frequency: string | null;
  mode: string | null;
  workedBefore: (callsign: string) => boolean;
}

export function publicQueue(entries: readonly PersistedQueueEntry[], context: ViewContext): QueueEntry[] {
  return entries.map((entry, index) => ({
    callsign: entry.callsign,
    position: index + 1,
    timestamp: entry.timestamp,
    ...countryFields(entry.callsign),
    ...positionFields(entry.callsign, entry.locator, context.origin),
    ...(context.workedBefore(entry.callsign) && { dupe: true }),
    ...(entry.no_shows !== undefined && entry.no_shows > 0 && { no_shows: entry.no_shows }),
  }));
}

const sameContext = (a: ViewContext, b: ViewContext) =>
  a.origin === b.origin && a.logRevision === b.logRevision && a.frequency === b.frequency && a.mode === b.mode;

/** Queue entries are never changed in place (a change replaces the entry), so identity is content. */
const sameEntries = (a: readonly PersistedQueueEntry[], b: readonly PersistedQueueEntry[]) =>
  a.length === b.length && a.every((entry, index) => entry === b[index]);

/** The last view built, handed out again while it still shows the truth. */
export class PublicQueueView {
  private last: { entries: readonly PersistedQueueEntry[]; context: ViewContext; view: QueueEntry[] } | undefined;

  view(entries: readonly PersistedQueueEntry[], context: ViewContext): QueueEntry[] {
    const { last } = this;
    if (last !== undefined && sameContext(last.context, context) && sameEntries(last.entries, entries)) return last.view;
    const view = publicQueue(entries, context);
    this.last = { entries, context, view };
    return view;
  }
}
