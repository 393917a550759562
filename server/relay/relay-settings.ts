/**
 * The relay's settings: stored from the console (admin_set_relay), overridden at start-up by
 * flags and the environment (`--relay`, `--station-id`, PILEUP_RELAY_*), which win and are not
 * stored — like the bridges' ports. The view shown to the operator says whether a secret is set,
 * never the secret.
 */
import { DEFAULTS } from '../config/defaults.js';
import type { RelayGiven } from '../config/given.js';
import { layered } from '../config/precedence.js';
import {
  type RelayOverrideField,
  type RelaySettings,
  relaySettingsSchema,
  type RelaySettingsView,
  STATION_ID_PROBLEM,
} from '../protocol/relay.js';
import { defaultStationId } from '../protocol/station.js';

/** Settings given on the command line or in the environment (server/config/given.ts). */
export type RelayOverrides = RelayGiven;

/** Which fields the overrides decide, as the console lists them. */
export function overriddenFields(overrides: RelayOverrides): RelayOverrideField[] {
  const fields = Object.keys(overrides) as RelayOverrideField[];
  if (overrides.servers !== undefined) fields.push('enabled');
  if (overrides.user !== undefined || overrides.token !== undefined || overrides.creds_file !== undefined) fields.push('auth');
  return fields;
}

/**
 * The settings in effect: the stored ones with the overrides applied. A server URL given at
 * start-up switches the relay on; a credential given picks its method (a .creds file first,
 * then a token, then user and password). Without a station id of its own, the relay uses the
 * one the station's callsign gives (PROTOCOL.md: the callsign, lowercased, `/` → `-`).
 */
export function effectiveSettings(stored: RelaySettings, overrides: RelayOverrides, stationCallsign: string | null): RelaySettings {
  const settings: RelaySettings = { ...stored, ...overrides };
  settings.station_id ??= defaultStationId(stationCallsign);
  if (overrides.servers !== undefined) settings.enabled = true;
  if (overrides.creds_file !== undefined) settings.auth = 'creds';
  else if (overrides.token !== undefined) settings.auth = 'token';
  else if (overrides.user !== undefined) settings.auth = 'user';
  return settings;
}

/** Stored settings, or the defaults when none (or unusable ones) are stored. */
export function storedSettings(raw: unknown): RelaySettings {
  const parsed = relaySettingsSchema.partial().safeParse(raw ?? {});
  return layered({}, parsed.success ? parsed.data : null, DEFAULTS.relay);
}

export interface SettingsProblem {
  field: keyof RelaySettings;
  problem: string;
}

/** What keeps switched-on settings from connecting; empty when they can (or the relay is off). */
export function settingsProblems(settings: RelaySettings): SettingsProblem[] {
  if (!settings.enabled) return [];
  const problems: SettingsProblem[] = [];
  if (settings.servers.length === 0) problems.push({ field: 'servers', problem: 'give the NATS server URL, e.g. tls://relay.example.org:4222' });
  if (settings.station_id === null) problems.push({ field: 'station_id', problem: `set a station id (${STATION_ID_PROBLEM})` });
  if (settings.auth === 'user' && (settings.user === null || settings.user === '')) problems.push({ field: 'user', problem: 'give the user name' });
  if (settings.auth === 'user' && settings.password === null) problems.push({ field: 'password', problem: 'give the password' });
  if (settings.auth === 'token' && settings.token === null) problems.push({ field: 'token', problem: 'give the token' });
  if (settings.auth === 'creds' && (settings.creds_file === null || settings.creds_file === '')) {
    problems.push({ field: 'creds_file', problem: 'give the path of the .creds file' });
  }
  return problems;
}

export function settingsView(settings: RelaySettings): RelaySettingsView {
  const { password, token, ...shown } = settings;
  return { ...shown, password_set: password !== null, token_set: token !== null };
}
