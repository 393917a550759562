/**
 * The station: its settings (operator), the statistics (operator), the recently worked list and
 * "am I in the log?" (everyone). The recent list is read once per (re)connect and then grows from
 * the `qso_update` broadcasts, so a public page costs the station one request, not one per QSO.
 */
import type { Broadcast } from '../../../server/protocol/broadcasts.js';
import type { LogSearch, RecentQso } from '../../../server/protocol/public-log.js';
import { RECENT_QSOS_LIMIT } from '../../../server/protocol/rules.js';
import type { StationChanges, StationSnapshot } from '../../../server/protocol/station.js';
import type { Statistics } from '../../../server/protocol/statistics.js';
import { normalizeCallsign } from '../../../server/protocol/callsign.js';
import { failureRefusal, type Refusal } from './session.js';
import type { SliceContext } from './context.js';

export interface StationState {
  /** The full station settings; null until read (operator only). */
  station: StationSnapshot | null;
  stats: Statistics | null;
  recent: { shown: boolean; qsos: RecentQso[] };
}

export type LogSearchOutcome = { ok: true; result: LogSearch } | { ok: false; refusal: Refusal };

export interface StationActions {
  loadStation(): Promise<void>;
  setStation(changes: StationChanges): Promise<boolean>;
  loadStats(): Promise<void>;
  loadRecent(): Promise<void>;
  searchLog(callsign: string): Promise<LogSearchOutcome>;
  noShow(): Promise<boolean>;
}

export function initialStationState(): StationState {
  return { station: null, stats: null, recent: { shown: false, qsos: [] } };
}


/** A completed QSO from its broadcast, as `get_recent_qsos` would list it. */
export function recentFromBroadcast(message: Extract<Broadcast, { type: 'qso_update' }>, showTimes: boolean): RecentQso {
  const { started_at: _started, source: _source, change_type: _change, frequency: _frequency, ended_at, ...rest } = message.data;
  return { ...rest, ...(showTimes && ended_at !== undefined && { ended_at }) };
}

function describeNoShow(data: { callsign: string; no_shows: number; strikes: number; requeued: boolean; position: number | null }): string {
  return data.requeued
    ? `${data.callsign} did not answer (${data.no_shows} of ${data.strikes}): back in the queue at ${data.position}.`
    : `${data.callsign} did not answer ${data.no_shows} times: out of the queue.`;
}

export function stationActions({ link, requests, set }: SliceContext): StationActions {
  return {
    async loadStation() {
      const station = await requests.call({ type: 'admin_get_station' }).catch(() => null);
      if (station !== null) set({ station });
    },

    async setStation(changes) {
      const saved = await requests.command('station', { type: 'admin_set_station', ...changes }, () => 'Station settings saved.');
      if (saved !== null) set({ station: saved });
      return saved !== null;
    },

    async loadStats() {
      const stats = await requests.call({ type: 'admin_get_stats' }).catch(() => null);
      if (stats !== null) set({ stats });
    },

    async loadRecent() {
      const recent = await requests.call({ type: 'get_recent_qsos', limit: RECENT_QSOS_LIMIT.max }).catch(() => null);
      if (recent !== null) set({ recent });
    },

    async searchLog(raw) {
      const callsign = normalizeCallsign(raw);
      if (callsign === null) return { ok: false, refusal: { code: raw.trim() === '' ? 'EMPTY' : 'NOT_A_CALLSIGN', details: { callsign: raw.trim().toUpperCase() } } };
      let reply;
      try {
        reply = await link.request({ type: 'search_log', callsign });
      } catch (error) {
        return { ok: false, refusal: failureRefusal(error) };
      }
      if (reply.type === 'error') return { ok: false, refusal: { code: reply.error_code, details: reply.details ?? {} } };
      return { ok: true, result: reply.data };
    },

    noShow: async () => (await requests.command('no-show', { type: 'admin_no_show' }, describeNoShow)) !== null,
  };
}
