/**
 * The default data directory: the same folder Electron's `app.getPath('userData')` gives the
 * desktop app, so headless and desktop runs share the queue and the log.
 */
import os from 'node:os';
import path from 'node:path';

export const APP_FOLDER = 'Pileup Buster';

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  const home = os.homedir();
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), APP_FOLDER);
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', APP_FOLDER);
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), APP_FOLDER);
}
