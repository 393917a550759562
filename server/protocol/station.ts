/**
 * The operator's station as a stored setting (`admin_get_station` / `admin_set_station`): its
 * callsign and Maidenhead locator (the origin of every bearing, and the default relay station
 * id), the distance unit, the beam heading, what the public page may show, the console's sounds
 * and the no-show rule. Callers see only `PublicStation`, inside `get_queue_status` and the
 * `station_update` broadcast. Dependency-free apart from zod, like the rest of server/protocol.
 */
import { z } from 'zod';
import { normalizeCallsign } from './callsign.js';
import { LOCATOR_PROBLEM, normalizeLocator } from './locator.js';
import { distanceUnits, NO_SHOW_LIMITS, type SoundEvent, soundEvents } from './rules.js';

export type { DistanceUnit, SoundEvent } from './rules.js';

/** A string field kept in its normal form by `rule`, or null (also for an empty string: "none"). */
function optionalBy(rule: (raw: string) => string | null, problem: string) {
  return z
    .string()
    .nullable()
    .transform((value, context) => {
      if (value === null || value.trim() === '') return null;
      const normalized = rule(value);
      if (normalized === null) context.addIssue({ code: 'custom', message: problem });
      return normalized ?? z.NEVER;
    });
}

const callsign = optionalBy(normalizeCallsign, 'must be a valid callsign such as EA8/DL1ABC');
const locator = optionalBy(normalizeLocator, LOCATOR_PROBLEM);

export const soundSettingsSchema = z.object(
  Object.fromEntries(soundEvents.map((event) => [event, z.boolean()])) as Record<SoundEvent, z.ZodBoolean>,
);
export type SoundSettings = z.infer<typeof soundSettingsSchema>;

export const stationSettingsSchema = z.object({
  callsign,
  locator,
  distance_unit: z.enum(distanceUnits),
  /** Where the antenna points, degrees from true north; null when not given. */
  beam_heading: z.number().int().min(0).max(359).nullable(),
  /** Callers see the beam heading. */
  public_beam_heading: z.boolean(),
  /** Callers see at what time they were worked ("am I in the log?", the recent list). */
  public_worked_times: z.boolean(),
  /** Callers see the recently worked stations. */
  public_recent_qsos: z.boolean(),
  sounds: soundSettingsSchema,
  /** A no-show goes back behind this many callers… */
  no_show_requeue_after: z.number().int().min(NO_SHOW_LIMITS.requeueAfter.min).max(NO_SHOW_LIMITS.requeueAfter.max),
  /** …and is out at this many no-shows. */
  no_show_strikes: z.number().int().min(NO_SHOW_LIMITS.strikes.min).max(NO_SHOW_LIMITS.strikes.max),
});
export type StationSettings = z.output<typeof stationSettingsSchema>;

export const DEFAULT_STATION: StationSettings = {
  callsign: null,
  locator: null,
  distance_unit: 'km',
  beam_heading: null,
  public_beam_heading: false,
  public_worked_times: false,
  public_recent_qsos: true,
  sounds: { first_caller: true, queue_full: true, bridge_down: true, relay_down: true, connection_lost: true },
  no_show_requeue_after: 3,
  no_show_strikes: 3,
};

/** `admin_set_station`: any of the fields (sounds one by one); at least one. */
export const stationChangesSchema = stationSettingsSchema
  .extend({ sounds: soundSettingsSchema.partial() })
  .partial()
  .refine((changes) => Object.values(changes).some((value) => value !== undefined), {
    message: `give at least one of ${Object.keys(DEFAULT_STATION).join(', ')}`,
  });
export type StationChanges = z.output<typeof stationChangesSchema>;

/** The relay station id a callsign gives by default: lowercased, `/` → `-` (PROTOCOL.md, public relay). */
export function defaultStationId(call: string | null): string | null {
  return call === null ? null : call.toLowerCase().replaceAll('/', '-');
}

/** What callers may know of the station. */
export const publicStationSchema = z.object({
  callsign: z.string().nullable(),
  locator: z.string().nullable(),
  /** Present only when the operator shows it. */
  beam_heading: z.number().int().min(0).max(359).nullable().optional(),
  worked_times: z.boolean(),
  recent_qsos: z.boolean(),
});
export type PublicStation = z.infer<typeof publicStationSchema>;

export function publicStation(settings: StationSettings): PublicStation {
  return {
    callsign: settings.callsign,
    locator: settings.locator,
    ...(settings.public_beam_heading && { beam_heading: settings.beam_heading }),
    worked_times: settings.public_worked_times,
    recent_qsos: settings.public_recent_qsos,
  };
}

/** What `admin_get_station` and `admin_set_station` answer. */
export const stationSnapshotSchema = stationSettingsSchema.extend({
  station_id: z.string().nullable(),
});
export type StationSnapshot = z.infer<typeof stationSnapshotSchema>;

export function stationSnapshot(settings: StationSettings): StationSnapshot {
  return { ...settings, station_id: defaultStationId(settings.callsign) };
}
