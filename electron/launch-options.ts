/**
 * `--host` and `--port`, read the way the headless CLI reads them, so `npm start -- --port 8001`
 * means the same whether the desktop app or the headless fallback starts. Chromium's own
 * switches (and Playwright's `--inspect=0`) share argv, so unknown options are ignored.
 */
import { parseArgs } from 'node:util';

export interface LaunchOptions {
  host: string;
  port: number;
}

export const DEFAULT_PORT = 8000;

export function launchOptions(argv: readonly string[]): LaunchOptions {
  const { values } = parseArgs({
    args: argv.slice(1),
    options: { host: { type: 'string' }, port: { type: 'string' } },
    strict: false,
    allowPositionals: true,
  });
  const { host = '0.0.0.0', port = String(DEFAULT_PORT) } = values;
  if (typeof host !== 'string' || host === '') throw new Error('--host needs an address, e.g. --host=127.0.0.1');
  // Digits only: Number() would read "" as 0 (a random port) and accept "1e3" or "0x1F".
  const parsed = typeof port === 'string' && /^\d{1,5}$/.test(port) ? Number(port) : NaN;
  if (!(parsed >= 0 && parsed <= 65535)) {
    throw new Error(`--port must be a number from 0 to 65535, got ${JSON.stringify(port)}`);
  }
  return { host, port: parsed };
}
