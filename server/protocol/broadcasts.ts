/**
 * Broadcasts: `{type, timestamp, data}` frames the server sends on its own after a change is
 * persisted. Each has an audience: `public` ones go to every connection (and, later, beyond the
 * LAN), `operator` ones only to connections that hold a valid operator session and to the
 * desktop console, because they carry what only the operator may see (LAN addresses of loggers,
 * the state of the operator's own relay link).
 */
import { z } from 'zod';
import { bridgesSnapshotSchema } from './bridges.js';
import { countryShape, positionShape, queueEntrySchema, registrationRulesSchema, timestampSchema } from './entities.js';
import { relayUpdateSchema } from './relay.js';
import { BROADCAST_QUEUE_LIMIT } from './rules.js';
import { publicStationSchema } from './station.js';
import { storageStatusSchema } from './storage.js';

/**
 * `no_show`: the current QSO's caller did not answer and went back into the queue;
 * `restored`: an undone ban gave a caller their place back.
 */
export const queueChangeTypes = ['registered', 'user_worked', 'removed', 'cleared', 'system_deactivated', 'no_show', 'restored'] as const;
export type QueueChangeType = (typeof queueChangeTypes)[number];

export const queueUpdateSchema = z.object({
  type: z.literal('queue_update'),
  timestamp: timestampSchema,
  data: z.object({
    total: z.number().int().nonnegative(),
    max_size: z.number().int().positive(),
    change_type: z.enum(queueChangeTypes),
    affected_callsign: z.string().nullable(),
    queue: z.array(queueEntrySchema).max(BROADCAST_QUEUE_LIMIT),
  }),
});

export const qsoChangeTypes = ['qso_started', 'qso_completed', 'qso_cancelled'] as const;
export type QsoChangeType = (typeof qsoChangeTypes)[number];

export const qsoUpdateSchema = z.object({
  type: z.literal('qso_update'),
  timestamp: timestampSchema,
  data: z.object({
    callsign: z.string(),
    started_at: timestampSchema,
    source: z.string(),
    change_type: z.enum(qsoChangeTypes),
    qso_id: z.string(),
    frequency: z.string().optional(),
    /** ADIF band of the frequency. */
    band: z.string().optional(),
    mode: z.string().optional(),
    ended_at: timestampSchema.optional(),
    ...countryShape,
    ...positionShape,
  }),
});

export const systemStatusUpdateSchema = z.object({
  type: z.literal('system_status_update'),
  timestamp: timestampSchema,
  data: z.object({ active: z.boolean(), changed_by: z.string() }),
});

export const frequencyUpdateSchema = z.object({
  type: z.literal('frequency_update'),
  timestamp: timestampSchema,
  data: z.object({ frequency: z.string().nullable(), mode: z.string().nullable(), split: z.string().nullable() }),
});

export const settingsUpdateSchema = z.object({
  type: z.literal('settings_update'),
  timestamp: timestampSchema,
  data: z.object({ max_queue_size: z.number().int().positive() }),
});

export const controlsChangeTypes = ['paused', 'resumed', 'banned', 'unbanned', 'rules_changed'] as const;
export type ControlsChangeType = (typeof controlsChangeTypes)[number];

/** Counts only, so ban reasons stay with the operator. */
export const controlsUpdateSchema = z.object({
  type: z.literal('controls_update'),
  timestamp: timestampSchema,
  data: registrationRulesSchema.extend({
    registration_paused: z.boolean(),
    banned_count: z.number().int().nonnegative(),
    change_type: z.enum(controlsChangeTypes),
    affected_callsign: z.string().nullable(),
  }),
});

/** The station's public face changed (callsign, locator, beam heading, what callers see). */
export const stationUpdateSchema = z.object({
  type: z.literal('station_update'),
  timestamp: timestampSchema,
  data: publicStationSchema,
});

/** The logger bridges' settings and state changed (a datagram arrived, a port was rebound). */
export const bridgesUpdateSchema = z.object({
  type: z.literal('bridges_update'),
  timestamp: timestampSchema,
  data: bridgesSnapshotSchema,
});

/** Writes to the data files started failing, or work again (the console's red banner). */
export const storageUpdateSchema = z.object({
  type: z.literal('storage_update'),
  timestamp: timestampSchema,
  data: storageStatusSchema,
});

export const broadcastSchema = z.discriminatedUnion('type', [
  queueUpdateSchema,
  qsoUpdateSchema,
  systemStatusUpdateSchema,
  frequencyUpdateSchema,
  settingsUpdateSchema,
  controlsUpdateSchema,
  stationUpdateSchema,
  bridgesUpdateSchema,
  relayUpdateSchema,
  storageUpdateSchema,
]);
export type Broadcast = z.infer<typeof broadcastSchema>;
export type BroadcastType = Broadcast['type'];
export type BroadcastOf<T extends BroadcastType> = Extract<Broadcast, { type: T }>;

export type Audience = 'public' | 'operator';

export const BROADCAST_AUDIENCE: { [T in BroadcastType]: Audience } = {
  queue_update: 'public',
  qso_update: 'public',
  system_status_update: 'public',
  frequency_update: 'public',
  settings_update: 'public',
  controls_update: 'public',
  station_update: 'public',
  bridges_update: 'operator',
  relay_update: 'operator',
  storage_update: 'operator',
};

export function isPublicBroadcast(message: Broadcast): boolean {
  return BROADCAST_AUDIENCE[message.type] === 'public';
}
