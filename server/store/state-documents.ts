/**
 * How the pileup state lies in state.db, so that a change appends what changed, not the state:
 * - `pileup`: everything but the queue and the ban list (a few hundred bytes);
 * - `queue:<seq>`: one waiting station, `{seq, callsign, timestamp}`, in queue order by `seq`;
 * - `ban:<seq>`: one banned callsign, `{seq, callsign, reason, banned_at}`, in list order.
 * A registration appends one queue document (about 90 bytes) however long the queue is; working
 * the next station appends a removal line and the `pileup` document.
 *
 * Earlier versions kept everything in the one `pileup` document (queue and bans inside it);
 * such a file loads as it is, and the first change writes the whole state in this layout once.
 */
import { DEFAULTS } from '../config/defaults.js';
import type { PersistedState } from '../core/storage.js';
import type { Doc } from './document-file.js';

const REST_ID = 'pileup';
const LISTS = { queue: 'queue', bans: 'ban' } as const;

interface StoredItem {
  seq: number;
  /** The item as stored, to tell whether it changed. */
  json: string;
}

/** What state.db holds now, as far as writing the next change needs to know. */
export interface StoredLayout {
  rest: string | null;
  queue: StoredItem[];
  bans: StoredItem[];
  nextSeq: number;
  /**
   * The stored item of each entry object already planned, so an unchanged entry is recognised
   * without serialising it again (planned entries are frozen: they cannot change unseen).
   */
  known: WeakMap<object, StoredItem>;
}

export interface StatePlan {
  put: Doc[];
  remove: string[];
  /** The layout once this plan is written. */
  after: StoredLayout;
}

const emptyLayout = (): StoredLayout => ({ rest: null, queue: [], bans: [], nextSeq: 1, known: new WeakMap() });

function listItems(docs: readonly Doc[], prefix: string): { items: object[]; stored: StoredItem[] } {
  const found = docs
    .filter((doc) => doc._id.startsWith(`${prefix}:`) && typeof doc.seq === 'number')
    .map((doc) => {
      const { _id: _ignored, seq, ...item } = doc;
      return { seq: seq as number, item };
    })
    .sort((a, b) => a.seq - b.seq);
  return { items: found.map((f) => f.item), stored: found.map((f) => ({ seq: f.seq, json: JSON.stringify(f.item) })) };
}

function restDocument(state: PersistedState): Doc {
  const { queue: _queue, controls, ...rest } = state;
  // State written before the abuse controls existed has none; the core fills in the defaults.
  if (controls === undefined) return { _id: REST_ID, ...rest };
  const { bans: _bans, ...rules } = controls;
  return { _id: REST_ID, ...rest, controls: rules };
}

/** The state in `docs` (null when there is none) and the layout it was read from. */
export function readState(docs: Iterable<Doc>): { state: PersistedState | null; layout: StoredLayout } {
  const all = [...docs];
  if (all.length === 0) return { state: null, layout: emptyLayout() };
  const queue = listItems(all, LISTS.queue);
  const bans = listItems(all, LISTS.bans);
  const restDoc = all.find((doc) => doc._id === REST_ID);
  const { _id: _ignored, queue: legacyQueue, ...rest } = (restDoc ?? {}) as Partial<PersistedState> & { _id?: string };
  const controls = rest.controls as (Partial<PersistedState['controls']> | undefined);
  // Written by an earlier version: the queue and the bans are inside the `pileup` document.
  const fromLegacyQueue = queue.stored.length === 0 && Array.isArray(legacyQueue);
  const fromLegacyBans = bans.stored.length === 0 && Array.isArray(controls?.bans);
  const state = {
    // A damaged `pileup` line leaves the queue standing, in a switched-off system.
    active: false,
    current: null,
    frequency: null,
    mode: null,
    split: null,
    max_queue_size: DEFAULTS.maxQueueSize,
    ...rest,
    queue: (fromLegacyQueue ? legacyQueue : queue.items) as PersistedState['queue'],
    ...(controls !== undefined && {
      controls: { ...controls, bans: (fromLegacyBans ? controls.bans : bans.items) as PersistedState['controls']['bans'] },
    }),
  } as PersistedState;
  const maxSeq = Math.max(0, ...queue.stored.map((item) => item.seq), ...bans.stored.map((item) => item.seq));
  return {
    state,
    layout: {
      rest: restDoc === undefined || fromLegacyQueue || fromLegacyBans ? null : JSON.stringify(restDocument(state)),
      queue: fromLegacyQueue ? [] : queue.stored,
      bans: fromLegacyBans ? [] : bans.stored,
      nextSeq: maxSeq + 1,
      known: new WeakMap(),
    },
  };
}

/**
 * The documents a list needs written and removed: items kept in order keep their documents;
 * a new item, or one that would break the order, gets a new document with the next `seq`.
 */
function planList(prefix: string, stored: readonly StoredItem[], items: readonly object[], seq: { next: number }, known: WeakMap<object, StoredItem>): ListPlan {
  return planKeptInOrder(prefix, stored, items, seq, known) ?? planAnyChange(prefix, stored, items, seq, known);
}

interface ListPlan {
  put: Doc[];
  remove: string[];
  after: StoredItem[];
}

const newItem = (prefix: string, item: object, seq: { next: number }, known: WeakMap<object, StoredItem>, json = JSON.stringify(item)) => {
  const stored = { seq: seq.next, json };
  seq.next += 1;
  known.set(Object.freeze(item), stored);
  return { stored, doc: { _id: `${prefix}:${stored.seq}`, seq: stored.seq, ...item } };
};

/**
 * The plan of the everyday change, in one pass and without serialising anything old: the items
 * planned before, in their stored order (some gone from between them), then new ones at the end
 * — a registration, working or removing a station. It is the plan `planAnyChange` would make;
 * anything else (an item out of order, one the last plan did not see) is left to it.
 */
function planKeptInOrder(prefix: string, stored: readonly StoredItem[], items: readonly object[], seq: { next: number }, known: WeakMap<object, StoredItem>): ListPlan | undefined {
  const after: StoredItem[] = [];
  const remove: string[] = [];
  let next = 0;
  let index = 0;
  for (; index < items.length; index += 1) {
    const match = known.get(items[index] as object);
    if (match === undefined) break;
    while (next < stored.length && stored[next] !== match) {
      remove.push(`${prefix}:${(stored[next] as StoredItem).seq}`);
      next += 1;
    }
    if (next === stored.length) return undefined;
    after.push(match);
    next += 1;
  }
  // Stored items after the last one kept could be new items' twins by content: the full plan decides.
  if (index < items.length && next < stored.length) return undefined;
  const added = items.slice(index);
  if (added.some((item) => known.has(item)) || new Set(added).size !== added.length) return undefined;
  for (; next < stored.length; next += 1) remove.push(`${prefix}:${(stored[next] as StoredItem).seq}`);
  const put: Doc[] = [];
  for (const item of added) {
    const planned = newItem(prefix, item, seq, known);
    put.push(planned.doc);
    after.push(planned.stored);
  }
  return { put, remove, after };
}

function planAnyChange(prefix: string, stored: readonly StoredItem[], items: readonly object[], seq: { next: number }, known: WeakMap<object, StoredItem>): ListPlan {
  const present = new Set(stored);
  const claimed = new Set<StoredItem>();
  const byIdentity = items.map((item) => {
    const match = known.get(item);
    if (match === undefined || !present.has(match) || claimed.has(match)) return undefined;
    claimed.add(match);
    return match;
  });
  // Only stored items no entry claimed by identity can match by content (e.g. just loaded from disk).
  const unclaimed = stored.filter((item) => !claimed.has(item));
  const byJson = unclaimed.length === 0 ? undefined : groupByJson(unclaimed);
  const put: Doc[] = [];
  const after: StoredItem[] = [];
  const kept = new Set<StoredItem>();
  let last = 0;
  items.forEach((item, index) => {
    let match = byIdentity[index];
    if (match !== undefined && match.seq <= last) match = undefined;
    const json = match === undefined ? JSON.stringify(item) : match.json;
    const same = match === undefined ? byJson?.get(json) : undefined;
    while (match === undefined && same !== undefined && same.length > 0) {
      const next = same.shift() as StoredItem;
      if (next.seq > last) match = next;
    }
    if (match === undefined) {
      const planned = newItem(prefix, item, seq, known, json);
      match = planned.stored;
      put.push(planned.doc);
    } else {
      kept.add(match);
      known.set(Object.freeze(item), match);
    }
    after.push(match);
    last = match.seq;
  });
  const remove = stored.filter((item) => !kept.has(item)).map((item) => `${prefix}:${item.seq}`);
  return { put, remove, after };
}

function groupByJson(stored: readonly StoredItem[]): Map<string, StoredItem[]> {
  const groups = new Map<string, StoredItem[]>();
  for (const item of stored) {
    const group = groups.get(item.json);
    if (group === undefined) groups.set(item.json, [item]);
    else group.push(item);
  }
  return groups;
}

/** What to write so that state.db holds `state`, given that it holds `layout` now. */
export function planState(layout: StoredLayout, state: PersistedState): StatePlan {
  const seq = { next: layout.nextSeq };
  const rest = restDocument(state);
  const restJson = JSON.stringify(rest);
  const queue = planList(LISTS.queue, layout.queue, state.queue, seq, layout.known);
  const bans = planList(LISTS.bans, layout.bans, state.controls?.bans ?? [], seq, layout.known);
  return {
    put: [...(restJson === layout.rest ? [] : [rest]), ...queue.put, ...bans.put],
    remove: [...queue.remove, ...bans.remove],
    after: { rest: restJson, queue: queue.after, bans: bans.after, nextSeq: seq.next, known: layout.known },
  };
}
