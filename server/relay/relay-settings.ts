/**
 * The relay's settings: stored from the console (admin_set_relay), overridden at start-up by
 * flags and the environment (`--relay`, `--station-id`, PILEUP_RELAY_*), which win and are not
 * stored — like the bridges' ports. The view shown to the operator says whether a secret is set,
 * never the secret.
 */
import {
  DEFAULT_RELAY_SETTINGS,
  type RelayOverrideField,
  type RelaySettings,
  relaySettingsSchema,
  type RelaySettingsView,
  SERVER_URL_PROBLEM,
  STATION_ID_PROBLEM,
} from '../protocol/relay.js';

/** Settings given on the command line or in the environment, already checked. */
export type RelayOverrides = Partial<Pick<RelaySettings, 'servers' | 'station_id' | 'user' | 'password' | 'token' | 'creds_file'>>;

export interface RelayEnv {
  PILEUP_RELAY_URL?: string | undefined;
  PILEUP_RELAY_USER?: string | undefined;
  PILEUP_RELAY_PASSWORD?: string | undefined;
  PILEUP_RELAY_TOKEN?: string | undefined;
  PILEUP_RELAY_CREDS?: string | undefined;
  PILEUP_STATION_ID?: string | undefined;
}

/**
 * The command line's `--relay` (URLs, comma-separated) and `--station-id`. Secrets have no
 * flags: a command line is visible to every user of the machine (`ps`); they come from the
 * environment or the stored settings.
 */
export interface RelayArguments {
  relay?: string | undefined;
  stationId?: string | undefined;
}

function given(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

/**
 * Checks what was given (flags first, then the environment) and throws one plain sentence
 * naming the flag or variable when a value is unusable.
 */
export function relayOverrides(flags: RelayArguments, env: RelayEnv): RelayOverrides {
  const servers = given(flags.relay) ?? given(env.PILEUP_RELAY_URL);
  const station = given(flags.stationId) ?? given(env.PILEUP_STATION_ID);
  const overrides: RelayOverrides = {};
  if (servers !== undefined) {
    const list = servers.split(',').map((url) => url.trim()).filter((url) => url !== '');
    const parsed = relaySettingsSchema.shape.servers.safeParse(list);
    if (!parsed.success || list.length === 0) {
      throw new Error(`--relay / PILEUP_RELAY_URL: each URL ${SERVER_URL_PROBLEM} (got ${JSON.stringify(servers)})`);
    }
    overrides.servers = parsed.data;
  }
  if (station !== undefined) {
    const parsed = relaySettingsSchema.shape.station_id.safeParse(station);
    if (!parsed.success || parsed.data === null) {
      throw new Error(`--station-id / PILEUP_STATION_ID ${STATION_ID_PROBLEM} (got ${JSON.stringify(station)})`);
    }
    overrides.station_id = parsed.data;
  }
  const user = given(env.PILEUP_RELAY_USER);
  const password = env.PILEUP_RELAY_PASSWORD;
  const token = given(env.PILEUP_RELAY_TOKEN);
  const creds = given(env.PILEUP_RELAY_CREDS);
  if (user !== undefined) overrides.user = user;
  if (password !== undefined && password !== '') overrides.password = password;
  if (token !== undefined) overrides.token = token;
  if (creds !== undefined) overrides.creds_file = creds.trim();
  return overrides;
}

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
 * then a token, then user and password).
 */
export function effectiveSettings(stored: RelaySettings, overrides: RelayOverrides): RelaySettings {
  const settings: RelaySettings = { ...stored, ...overrides };
  if (overrides.servers !== undefined) settings.enabled = true;
  if (overrides.creds_file !== undefined) settings.auth = 'creds';
  else if (overrides.token !== undefined) settings.auth = 'token';
  else if (overrides.user !== undefined) settings.auth = 'user';
  return settings;
}

/** Stored settings, or the defaults when none (or unusable ones) are stored. */
export function storedSettings(raw: unknown): RelaySettings {
  const parsed = relaySettingsSchema.partial().safeParse(raw ?? {});
  return { ...DEFAULT_RELAY_SETTINGS, ...(parsed.success ? parsed.data : {}) };
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
