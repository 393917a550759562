/**
 * The public relay over NATS (PROTOCOL.md, "Public relay over NATS"): station ids, subjects, KV
 * keys, what may cross, the relay's settings and the state the console and the tray show.
 * Dependency-free apart from zod, like the rest of server/protocol, so the renderer's NATS
 * transport and the station share these names and cannot drift apart. The shapes of the two KV
 * values are in relay-snapshot.ts.
 */
import { z } from 'zod';
import { timestampSchema as timestamp } from './entities.js';

/** 1–32 characters of a-z, 0-9 and `-`: one subject token and part of a KV bucket name. */
export const STATION_ID_PATTERN = /^[a-z0-9-]{1,32}$/;
export const STATION_ID_PROBLEM = 'must be 1–32 characters of a-z, 0-9 and -';
export const stationIdSchema = z.string().trim().regex(STATION_ID_PATTERN, { message: STATION_ID_PROBLEM });

export function isStationId(value: unknown): value is string {
  return typeof value === 'string' && STATION_ID_PATTERN.test(value);
}

/** The NATS names of one station. */
export function relayNames(station: string) {
  return {
    requests: `pileup.${station}.request`,
    events: `pileup.${station}.events`,
    bucket: `pileup-${station}`,
    /** The KV stream and the subjects a put of each key is published on (plain NATS subscribers see them too). */
    stream: `KV_pileup-${station}`,
    statusSubject: `$KV.pileup-${station}.${STATUS_KEY}`,
    presenceSubject: `$KV.pileup-${station}.${PRESENCE_KEY}`,
  };
}

export const STATUS_KEY = 'status';
export const PRESENCE_KEY = 'presence';
/** The station rewrites `presence` at least this often while it is connected. */
export const PRESENCE_INTERVAL_MS = 15_000;
/** A presence older than this means the station is offline, whatever the last status said. */
export const PRESENCE_STALE_MS = 45_000;

/** The only requests the relay carries; every other type is refused before anything runs. */
export const relayRequestTypes = [
  'register_callsign',
  'get_queue_status',
  'get_current_qso',
  'get_recent_qsos',
  'search_log',
  'ping',
] as const;
export type RelayRequestType = (typeof relayRequestTypes)[number];

export function isRelayRequestType(type: string): type is RelayRequestType {
  return (relayRequestTypes as readonly string[]).includes(type);
}

/**
 * Broadcasts published on `pileup.<station>.events`: the pileup as callers see it. Not
 * `controls_update` (the registration rules are settings, and it names banned callsigns) and
 * not `relay_update` (the operator's own link): a pause reaches watchers through `status`.
 */
export const relayEventTypes = [
  'queue_update',
  'qso_update',
  'system_status_update',
  'frequency_update',
  'settings_update',
  'station_update',
] as const;

export function isRelayEventType(type: string): boolean {
  return (relayEventTypes as readonly string[]).includes(type);
}

// ---- Settings (admin_get_relay / admin_set_relay) ----

/** How the station proves who it is to the NATS server. */
export const relayAuthMethods = ['none', 'user', 'token', 'creds'] as const;
export type RelayAuthMethod = (typeof relayAuthMethods)[number];

/**
 * A NATS server the station connects out to: `nats://host:port`, `tls://host:port`, or
 * `host:port`. Browsers use the WebSocket (wss://) URL; the station speaks NATS over TCP.
 * Credentials never go in the URL (they have their own fields, which are never shown).
 */
export const SERVER_URL_PROBLEM = 'must be nats://host:port, tls://host:port or host:port (no user or password in it)';
const serverUrl = z
  .string()
  .trim()
  .min(1)
  .max(255)
  .refine((value) => {
    const withScheme = /^[a-z]+:\/\//i.test(value) ? value : `nats://${value}`;
    try {
      const url = new URL(withScheme);
      return (
        ['nats:', 'tls:'].includes(url.protocol) &&
        url.hostname !== '' &&
        url.username === '' &&
        url.password === '' &&
        (url.pathname === '' || url.pathname === '/') &&
        url.search === '' &&
        url.hash === ''
      );
    } catch {
      return false;
    }
  }, { message: SERVER_URL_PROBLEM });

const relayLimitsShape = {
  /** Registrations of one callsign through the relay per window; 0 switches the limit off. */
  callsign_limit_count: z.number().int().min(0).max(1000),
  callsign_limit_window_s: z.number().int().min(1).max(86_400),
  /** Registrations through the relay per minute, all callers together; 0 switches it off. */
  registrations_per_minute: z.number().int().min(0).max(100_000),
};
export type RelayLimits = { [K in keyof typeof relayLimitsShape]: number };

/** What is stored in settings.db. Secrets are stored because the station must send them. */
export const relaySettingsSchema = z.object({
  enabled: z.boolean(),
  servers: z.array(serverUrl).max(10),
  station_id: stationIdSchema.nullable(),
  auth: z.enum(relayAuthMethods),
  user: z.string().max(256).nullable(),
  password: z.string().max(1024).nullable(),
  token: z.string().max(4096).nullable(),
  creds_file: z.string().trim().max(4096).nullable(),
  ...relayLimitsShape,
});
export type RelaySettings = z.infer<typeof relaySettingsSchema>;

/** `admin_set_relay`: any of the settings; a field left out is kept, `null` clears a secret. */
export const relaySettingsRequestSchema = relaySettingsSchema
  .partial()
  .refine((value) => Object.values(value).some((field) => field !== undefined), {
    message: `give at least one of ${Object.keys(relaySettingsSchema.shape).join(', ')}`,
  });
export type RelaySettingsChanges = z.infer<typeof relaySettingsRequestSchema>;

/** The settings as the operator sees them: whether a secret is set, never the secret. */
export const relaySettingsViewSchema = relaySettingsSchema
  .omit({ password: true, token: true })
  .extend({ password_set: z.boolean(), token_set: z.boolean() });
export type RelaySettingsView = z.infer<typeof relaySettingsViewSchema>;

export const relayStates = ['off', 'connecting', 'connected', 'error'] as const;
export type RelayState = (typeof relayStates)[number];

export const relayStatusSchema = z.object({
  state: z.enum(relayStates),
  /** Why it is not connected (or what went wrong while connected), in plain words. */
  reason: z.string().nullable(),
  /** The NATS server in use (host:port), when connected. */
  server: z.string().nullable(),
  station_id: z.string().nullable(),
  /** When the state last changed; null: not since start-up. */
  since: timestamp.nullable(),
  requests_answered: z.number().int().nonnegative(),
  /** Requests not answered: too many were already waiting (a flood), or the reply subject was no inbox. */
  requests_dropped: z.number().int().nonnegative(),
  events_published: z.number().int().nonnegative(),
});
export type RelayStatus = z.infer<typeof relayStatusSchema>;

/** Broadcast to the LAN and the console when the relay's state changes; never published on the relay. */
export const relayUpdateSchema = z.object({
  type: z.literal('relay_update'),
  timestamp,
  data: relayStatusSchema,
});
export type RelayUpdate = z.infer<typeof relayUpdateSchema>;

/** Fields a flag or an environment variable set at start-up: they win over the stored ones. */
export const relayOverrideFields = ['enabled', 'servers', 'station_id', 'auth', 'user', 'password', 'token', 'creds_file'] as const;
export type RelayOverrideField = (typeof relayOverrideFields)[number];

/** What `admin_get_relay` and `admin_set_relay` answer. */
export const relaySnapshotSchema = z.object({
  /** In effect now: the stored settings with the start-up overrides applied. */
  settings: relaySettingsViewSchema,
  overridden: z.array(z.enum(relayOverrideFields)),
  status: relayStatusSchema,
});
export type RelaySnapshot = z.infer<typeof relaySnapshotSchema>;

/** The relay's state in a few words, the same in the tray and the console's header. */
export function relaySummary(status: Pick<RelayStatus, 'state' | 'reason' | 'station_id'>): string {
  switch (status.state) {
    case 'off':
      return 'off';
    case 'connecting':
      return status.reason === null ? 'connecting…' : `reconnecting (${status.reason})`;
    case 'connected':
      return `connected as ${status.station_id ?? '?'}`;
    case 'error':
      return `error: ${status.reason ?? 'unknown'}`;
  }
}
