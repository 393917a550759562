/**
 * `--host` and `--port`, read the way the headless CLI reads them, so `npm start -- --port 8001`
 * means the same whether the desktop app or the headless fallback starts. Chromium's own
 * switches (and Playwright's `--inspect=0`) share argv, so unknown options are ignored.
 */
import { parseArgs } from 'node:util';
import { parsePortArgument, portError } from '../server/cli/port.js';
import type { RelayArguments } from '../server/relay/relay-settings.js';

/** Only what the user gave: absent ones fall back to the stored listen setting, then 0.0.0.0:8000 (server/app.ts). */
export interface LaunchOptions {
  host?: string;
  port?: number;
  /** `--relay` and `--station-id`, checked by the server like the headless CLI's. */
  relay?: RelayArguments;
}


export function launchOptions(argv: readonly string[]): LaunchOptions {
  const { values } = parseArgs({
    args: argv.slice(1),
    options: { host: { type: 'string' }, port: { type: 'string' }, relay: { type: 'string' }, 'station-id': { type: 'string' } },
    strict: false,
    allowPositionals: true,
  });
  const { host, port, relay, 'station-id': stationId } = values;
  if (host !== undefined && (typeof host !== 'string' || host === '')) {
    throw new Error('--host needs an address, e.g. --host=127.0.0.1');
  }
  if ((relay !== undefined && typeof relay !== 'string') || (stationId !== undefined && typeof stationId !== 'string')) {
    throw new Error('--relay and --station-id need a value, e.g. --relay=tls://relay.example.org:4222 --station-id=ea8abc');
  }
  const options: LaunchOptions = {
    ...(host !== undefined && { host }),
    ...((relay !== undefined || stationId !== undefined) && { relay: { relay, stationId } }),
  };
  if (port === undefined) return options;
  const parsed = typeof port === 'string' ? parsePortArgument(port) : null;
  if (parsed === null) throw new Error(portError('--port', port));
  return { ...options, port: parsed };
}
