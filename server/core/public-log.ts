/** The caller's view of log entries (server/protocol/public-log.ts says what it may hold). */
import { modeFamily } from '../ham/band.js';
import type { LoggedQso } from '../protocol/entities.js';
import type { LogSearch, RecentQso, WorkedSlot } from '../protocol/public-log.js';

export function recentQso(entry: LoggedQso, showTimes: boolean): RecentQso {
  const { qso_id, callsign, band, mode, ended_at, country, dxcc, continent, cq_zone, lat, lon, bearing, distance_km } = entry;
  const optional = { band, mode, country, dxcc, continent, cq_zone, lat, lon, bearing, distance_km };
  return {
    qso_id,
    callsign,
    ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== undefined)),
    ...(showTimes && { ended_at }),
  };
}

/** `entries` newest first: one slot per band and mode family (USB and LSB are SSB), newest slot first. */
export function logSearch(callsign: string, entries: readonly LoggedQso[], showTimes: boolean): LogSearch {
  const slots = new Map<string, WorkedSlot>();
  for (const entry of entries) {
    const mode = modeFamily(entry.mode) ?? null;
    const band = entry.band ?? null;
    const key = `${band}|${mode}`;
    const slot = slots.get(key);
    if (slot !== undefined) slot.qsos += 1;
    else slots.set(key, { band, mode, qsos: 1, ...(showTimes && { last_worked_at: entry.ended_at }) });
  }
  return { callsign, total_qsos: entries.length, worked: [...slots.values()] };
}
