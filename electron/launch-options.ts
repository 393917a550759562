/**
 * `--host` and `--port`, read the way the headless CLI reads them, so `npm start -- --port 8001`
 * means the same whether the desktop app or the headless fallback starts. Chromium's own
 * switches (and Playwright's `--inspect=0`) share argv, so unknown options are ignored.
 */
import { parseArgs } from 'node:util';
import { parsePortArgument, portError } from '../server/config/port.js';

/** Only what the user gave: absent ones fall back to the stored listen setting, then 0.0.0.0:8000 (server/app.ts). */
export interface LaunchOptions {
  host?: string;
  port?: number;
}


export function launchOptions(argv: readonly string[]): LaunchOptions {
  const { values } = parseArgs({
    args: argv.slice(1),
    options: { host: { type: 'string' }, port: { type: 'string' } },
    strict: false,
    allowPositionals: true,
  });
  const { host, port } = values;
  if (host !== undefined && (typeof host !== 'string' || host === '')) {
    throw new Error('--host needs an address, e.g. --host=127.0.0.1');
  }
  const options: LaunchOptions = host === undefined ? {} : { host };
  if (port === undefined) return options;
  const parsed = typeof port === 'string' ? parsePortArgument(port) : null;
  if (parsed === null) throw new Error(portError('--port', port));
  return { ...options, port: parsed };
}
