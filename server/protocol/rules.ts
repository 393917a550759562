/**
 * Rules the server and every page share, as plain functions and constants (no zod, so the
 * renderer bundles them cheaply): what makes registration open, the queue's capacity range, the
 * broadcast cut.
 */

/** The capacity a queue can be given (MAX_QUEUE_SIZE, `admin_set_max_queue_size`, the console). */
export const QUEUE_CAPACITY = { min: 1, max: 1000, default: 4 } as const;

/** Broadcast queues are cut here; `total` always carries the real count. */
export const BROADCAST_QUEUE_LIMIT = 100;

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
