/**
 * The pileup as the renderer sees it: a snapshot from `get_queue_status`, moved forward by the
 * server's broadcasts. Pure functions, shared by the zustand store and the dependency-light
 * status page, so a broadcast means the same thing on every page.
 */
import type { Broadcast, ServerLink } from '../transport/server-link.js';
import type { CurrentQso, QueueEntry, Status } from '../../server/protocol/entities.js';
import { QUEUE_CAPACITY } from '../../server/protocol/rules.js';
import type { PublicStation } from '../../server/protocol/station.js';

/** Fields the server adds later (e.g. `country`) ride along untouched; pages show them when present. */
export type Qso = CurrentQso & { country?: string };
export type Waiting = QueueEntry & { country?: string };

export interface PileupSnapshot {
  system_active: boolean;
  /** The real number waiting; `queue` may hold only the first 100 of them (broadcasts are cut). */
  queue_size: number;
  max_queue_size: number;
  current_qso: Qso | null;
  queue: Waiting[];
  /** Registration closed by the operator while the queue is kept. */
  registration_paused: boolean;
  frequency: string | null;
  mode: string | null;
  split: string | null;
  /** The operator's station as callers see it (callsign, locator, beam heading when shown). */
  station: PublicStation;
}

export const noStation: PublicStation = { callsign: null, locator: null, worked_times: false, recent_qsos: false };

export const emptySnapshot: PileupSnapshot = {
  system_active: false,
  queue_size: 0,
  max_queue_size: QUEUE_CAPACITY.default,
  current_qso: null,
  queue: [],
  registration_paused: false,
  frequency: null,
  mode: null,
  split: null,
  station: noStation,
};

export function fromStatus(status: Status): PileupSnapshot {
  const { registration_enabled: _derived, ...snapshot } = status;
  return snapshot;
}

/** The server's state now, or null when it cannot be read (offline: the next reconnect retries). */
export async function fetchSnapshot(link: Pick<ServerLink, 'request'>): Promise<PileupSnapshot | null> {
  const reply = await link.request({ type: 'get_queue_status' }).catch(() => null);
  return reply?.type === 'success' ? fromStatus(reply.data) : null;
}

export function applyBroadcast(snapshot: PileupSnapshot, message: Broadcast): PileupSnapshot {
  switch (message.type) {
    case 'queue_update':
      return { ...snapshot, queue: message.data.queue, queue_size: message.data.total, max_queue_size: message.data.max_size };
    case 'qso_update': {
      const { change_type, ended_at: _ended, ...qso } = message.data;
      if (change_type === 'qso_started') return { ...snapshot, current_qso: { ...qso, timestamp: qso.started_at } };
      // A late "completed" for a QSO that was already replaced must not clear the new one.
      return snapshot.current_qso?.qso_id === qso.qso_id ? { ...snapshot, current_qso: null } : snapshot;
    }
    case 'system_status_update':
      return { ...snapshot, system_active: message.data.active };
    case 'frequency_update':
      return { ...snapshot, ...message.data };
    case 'settings_update':
      return { ...snapshot, max_queue_size: message.data.max_queue_size };
    case 'controls_update':
      return { ...snapshot, registration_paused: message.data.registration_paused };
    case 'station_update':
      return { ...snapshot, station: message.data };
    case 'bridges_update':
    case 'relay_update':
    case 'storage_update':
      return snapshot;
  }
}
