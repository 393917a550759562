/**
 * Rules the server and every page share, as plain functions and constants (no zod, so the
 * renderer bundles them cheaply): what makes registration open, the queue's capacity range, the
 * broadcast cut.
 */

/** The capacity a queue can be given (MAX_QUEUE_SIZE, `admin_set_max_queue_size`, the console). */
export const QUEUE_CAPACITY = { min: 1, max: 1000, default: 4 } as const;

/** Broadcast queues are cut here; `total` always carries the real count. */
export const BROADCAST_QUEUE_LIMIT = 100;

/** Callers ask for at most this many recent QSOs (`get_recent_qsos`): cheap through the relay. */
export const RECENT_QSOS_LIMIT = { default: 10, max: 50 } as const;

/** The station settings' choices and ranges (server/protocol/station.ts has their schema). */
export const distanceUnits = ['km', 'mi'] as const;
export type DistanceUnit = (typeof distanceUnits)[number];

/** What the console can sound for; each one can be switched off. */
export const soundEvents = ['first_caller', 'queue_full', 'bridge_down', 'relay_down', 'connection_lost'] as const;
export type SoundEvent = (typeof soundEvents)[number];

/** A no-show goes back behind `requeueAfter` callers and is out at `strikes` no-shows. */
export const NO_SHOW_LIMITS = { requeueAfter: { min: 1, max: 50 }, strikes: { min: 1, max: 10 } } as const;

export interface RegistrationCounts {
  system_active: boolean;
  registration_paused: boolean;
  queue_size: number;
  max_queue_size: number;
}

/** The one rule for "a caller could register right now", for the core's status and every page. */
export function registrationOpen(state: RegistrationCounts): boolean {
  return state.system_active && !state.registration_paused && state.queue_size < state.max_queue_size;
}
