/**
 * What a start was given from outside: command-line flags and environment variables, parsed
 * once, here, for the headless CLI and the desktop app alike (flags win over the environment).
 * A value that is not usable throws a ConfigError naming the flag or variable.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { allowEntryProblem, parseAllowList } from '../bridges/sender-allow-list.js';
import type { BridgeSettings } from '../protocol/bridges.js';
import { type RelaySettings, relaySettingsSchema, SERVER_URL_PROBLEM, STATION_ID_PROBLEM } from '../protocol/relay.js';
import { QUEUE_CAPACITY } from '../protocol/rules.js';
import type { OriginPolicy } from '../gateway/origin-check.js';
import { defaultDataDir } from './data-dir.js';
import { parsePortArgument, portError } from './port.js';
import { parseRigAddress, type RigGiven } from './rig-address.js';

export class ConfigError extends Error {}

/** Relay settings given at start-up; they win over the stored ones (server/relay/relay-settings.ts). */
export type RelayGiven = Partial<Pick<RelaySettings, 'servers' | 'station_id' | 'user' | 'password' | 'token' | 'creds_file'>>;

export interface Given {
  dataDir?: string;
  host?: string;
  port?: number;
  maxQueueSize?: number;
  username?: string;
  password?: string;
  bridges: Partial<BridgeSettings>;
  relay: RelayGiven;
  origins: OriginPolicy;
  /** `--reset-password`: replace the stored password with a generated one, shown once. */
  resetPassword?: boolean;
}

/** The environment variables a start reads. */
export interface ConfigEnv {
  PILEUP_DATA_DIR?: string | undefined;
  ADMIN_USERNAME?: string | undefined;
  ADMIN_PASSWORD?: string | undefined;
  MAX_QUEUE_SIZE?: string | undefined;
  ALLOWED_ORIGINS?: string | undefined;
  ALLOWED_HOSTS?: string | undefined;
  WSJTX_UDP_PORT?: string | undefined;
  N1MM_UDP_PORT?: string | undefined;
  BRIDGE_ALLOW?: string | undefined;
  RIGCTLD_ADDRESS?: string | undefined;
  PILEUP_RELAY_URL?: string | undefined;
  PILEUP_STATION_ID?: string | undefined;
  PILEUP_RELAY_USER?: string | undefined;
  PILEUP_RELAY_PASSWORD?: string | undefined;
  PILEUP_RELAY_TOKEN?: string | undefined;
  PILEUP_RELAY_CREDS?: string | undefined;
}

/** The flags both the CLI and the desktop app take (`npm start -- --port 8001` means the same in both). */
export const FLAG_OPTIONS = {
  host: { type: 'string' },
  port: { type: 'string' },
  'data-dir': { type: 'string' },
  'wsjtx-port': { type: 'string' },
  'n1mm-port': { type: 'string' },
  'bridge-host': { type: 'string' },
  'bridge-allow': { type: 'string' },
  rigctld: { type: 'string' },
  // Relay secrets have no flags: a command line is visible to every user of the machine (`ps`).
  relay: { type: 'string' },
  'station-id': { type: 'string' },
  'reset-password': { type: 'boolean' },
} as const satisfies ParseArgsConfig['options'];

type FlagValues = { [K in keyof typeof FLAG_OPTIONS]?: Raw };

/** A flag without a value reads as `true` when unknown flags are allowed. */
type Raw = string | boolean | undefined;

function port(name: string, raw: Raw): number | undefined {
  if (raw === undefined) return undefined;
  return (typeof raw === 'string' ? parsePortArgument(raw.trim()) : null) ?? fail(portError(name, raw));
}

function text(name: string, raw: Raw, what: string, example: string): string | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || raw.trim() === '') fail(`${name} needs ${what}, e.g. ${name}=${example}`);
  return raw.trim();
}

function flag(name: string, raw: Raw): true | undefined {
  if (raw === undefined || raw === false) return undefined;
  if (raw !== true) fail(`${name} takes no value`);
  return true;
}

function fail(message: string): never {
  throw new ConfigError(message);
}

function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}

function maxQueueSize(raw: string | undefined): number | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < QUEUE_CAPACITY.min || value > QUEUE_CAPACITY.max) {
    fail(`MAX_QUEUE_SIZE must be a whole number from ${QUEUE_CAPACITY.min} to ${QUEUE_CAPACITY.max}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

/** `ALLOWED_ORIGINS` / `ALLOWED_HOSTS`: comma- or space-separated. Origins are normalised by URL. */
function origins(env: ConfigEnv): OriginPolicy {
  const list = (raw: string | undefined) => (raw ?? '').split(/[\s,]+/).filter((item) => item !== '');
  return {
    allowedHosts: list(env.ALLOWED_HOSTS).map((host) => host.toLowerCase()),
    allowedOrigins: list(env.ALLOWED_ORIGINS).map((origin) => {
      const parsed = URL.canParse(origin) ? new URL(origin).origin : 'null';
      if (parsed === 'null') fail(`ALLOWED_ORIGINS: ${JSON.stringify(origin)} is not an origin like https://club.example`);
      return parsed;
    }),
  };
}

function blankToUndefined(raw: string | undefined): string | undefined {
  return raw === undefined || raw.trim() === '' ? undefined : raw;
}

/** `--bridge-allow` / BRIDGE_ALLOW: addresses and networks, comma-separated. */
function allowList(name: string, raw: string | undefined): string[] | undefined {
  if (raw === undefined) return undefined;
  const entries = parseAllowList(raw);
  for (const entry of entries) {
    const problem = allowEntryProblem(entry);
    if (problem !== null) fail(`${name}: ${problem}`);
  }
  return entries;
}

function rigAddress(name: string, raw: string | undefined): RigGiven {
  if (raw === undefined) return {};
  const parsed = parseRigAddress(name, raw);
  return typeof parsed === 'string' ? fail(parsed) : parsed;
}

/** `--relay` / PILEUP_RELAY_URL: NATS server URLs, comma-separated. */
function relayServers(name: string, raw: string | undefined): string[] | undefined {
  if (raw === undefined) return undefined;
  const list = raw.split(',').map((url) => url.trim()).filter((url) => url !== '');
  const parsed = relaySettingsSchema.shape.servers.safeParse(list);
  if (!parsed.success || list.length === 0) fail(`${name}: each URL ${SERVER_URL_PROBLEM} (got ${JSON.stringify(raw)})`);
  return parsed.data;
}

function stationId(name: string, raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const parsed = relaySettingsSchema.shape.station_id.safeParse(raw);
  if (!parsed.success || parsed.data === null) fail(`${name} ${STATION_ID_PROBLEM} (got ${JSON.stringify(raw)})`);
  return parsed.data;
}

export function givenFromEnv(env: ConfigEnv): Given {
  return {
    ...defined({
      dataDir: blankToUndefined(env.PILEUP_DATA_DIR),
      maxQueueSize: maxQueueSize(env.MAX_QUEUE_SIZE),
      username: blankToUndefined(env.ADMIN_USERNAME)?.trim(),
      // A password is taken as it is: spaces may be part of it.
      password: env.ADMIN_PASSWORD === '' ? undefined : env.ADMIN_PASSWORD,
    }),
    bridges: defined({
      wsjtx_port: port('WSJTX_UDP_PORT', blankToUndefined(env.WSJTX_UDP_PORT)),
      n1mm_port: port('N1MM_UDP_PORT', blankToUndefined(env.N1MM_UDP_PORT)),
      allowed_senders: allowList('BRIDGE_ALLOW', env.BRIDGE_ALLOW),
      ...rigAddress('RIGCTLD_ADDRESS', blankToUndefined(env.RIGCTLD_ADDRESS)),
    }),
    relay: defined({
      servers: relayServers('PILEUP_RELAY_URL', blankToUndefined(env.PILEUP_RELAY_URL)),
      station_id: stationId('PILEUP_STATION_ID', blankToUndefined(env.PILEUP_STATION_ID)),
      user: blankToUndefined(env.PILEUP_RELAY_USER),
      password: env.PILEUP_RELAY_PASSWORD === '' ? undefined : env.PILEUP_RELAY_PASSWORD,
      token: blankToUndefined(env.PILEUP_RELAY_TOKEN),
      creds_file: blankToUndefined(env.PILEUP_RELAY_CREDS)?.trim(),
    }),
    origins: origins(env),
  };
}

export function givenFromFlags(values: FlagValues): Omit<Given, 'origins'> {
  return {
    ...defined({
      host: text('--host', values.host, 'an address', '127.0.0.1'),
      port: port('--port', values.port),
      dataDir: text('--data-dir', values['data-dir'], 'a folder', './pileup-data'),
      resetPassword: flag('--reset-password', values['reset-password']),
    }),
    bridges: defined({
      wsjtx_port: port('--wsjtx-port', values['wsjtx-port']),
      n1mm_port: port('--n1mm-port', values['n1mm-port']),
      bind_address: text('--bridge-host', values['bridge-host'], 'an address', '127.0.0.1'),
      allowed_senders: allowList('--bridge-allow', text('--bridge-allow', values['bridge-allow'], 'addresses or networks', '192.168.1.0/24')),
      ...rigAddress('--rigctld', text('--rigctld', values.rigctld, 'on, off or an address', '127.0.0.1:4532')),
    }),
    relay: defined({
      servers: relayServers('--relay', text('--relay', values.relay, 'a NATS server URL', 'tls://relay.example.org:4222')),
      station_id: stationId('--station-id', text('--station-id', values['station-id'], 'an id', 'ea8abc')),
    }),
  };
}

/** Flags over the environment. */
export function mergeGiven(fromEnv: Given, fromFlags: Partial<Omit<Given, 'origins'>>): Given {
  return {
    ...fromEnv,
    ...fromFlags,
    bridges: { ...fromEnv.bridges, ...fromFlags.bridges },
    relay: { ...fromEnv.relay, ...fromFlags.relay },
    origins: fromEnv.origins,
  };
}

/**
 * The flags in `args` (without the program and script) and the environment, merged. `strict`
 * refuses unknown flags (the CLI); the desktop app shares argv with Chromium's own switches.
 */
export function readGiven(args: readonly string[], env: ConfigEnv, strict: boolean): Given {
  const { values } = parseArgs({ args: [...args], options: FLAG_OPTIONS, strict, allowPositionals: !strict });
  return mergeGiven(givenFromEnv(env), givenFromFlags(values));
}

/** Where the data lives: `--data-dir`, then PILEUP_DATA_DIR, then the user's data folder. */
export function dataDirOf(given: Pick<Given, 'dataDir'>): string {
  return given.dataDir ?? defaultDataDir();
}
