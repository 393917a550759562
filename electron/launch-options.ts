/**
 * The desktop app's flags and environment, read by the same config module as the headless CLI
 * (server/config/given.ts), so `npm start -- --port 8001` means the same whether the desktop app
 * or the headless fallback starts. Chromium's own switches (and Playwright's `--inspect=0`)
 * share argv, so unknown options are ignored.
 */
import { type ConfigEnv, type Given, readGiven } from '../server/config/given.js';

/** argv as Electron gives it: the binary first, then the app folder and the switches. */
export function launchOptions(argv: readonly string[], env: ConfigEnv = {}): Given {
  return readGiven(argv.slice(1), env, false);
}
