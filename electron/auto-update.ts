/**
 * Updates through electron-updater from the GitHub Releases feed the release workflow publishes
 * (its address is in resources/app-update.yml, written by electron-builder). Off unless
 * PILEUP_AUTO_UPDATE=1: an operator in the middle of a pileup decides when the app changes.
 * When on, the app checks once at start-up, downloads in the background, tells the operator
 * with a notification, and installs on the next quit; it never restarts by itself.
 */
export const AUTO_UPDATE_ENV = 'PILEUP_AUTO_UPDATE';

export type AutoUpdateDecision = { enabled: true } | { enabled: false; warning: string | null };

/** What the app needs of electron-updater's `autoUpdater`. */
export interface Updater {
  on(event: 'error', listener: (error: Error) => void): unknown;
  checkForUpdatesAndNotify(): Promise<unknown>;
}

export function autoUpdateDecision(env: NodeJS.ProcessEnv, packaged: boolean): AutoUpdateDecision {
  const setting = env[AUTO_UPDATE_ENV];
  if (setting === undefined || setting === '' || setting === '0') return { enabled: false, warning: null };
  if (setting !== '1') {
    return { enabled: false, warning: `${AUTO_UPDATE_ENV}=${setting} is neither 1 (on) nor 0 (off): updates stay off.` };
  }
  // Unpackaged there is no feed (no app-update.yml) and nothing to replace.
  if (!packaged) return { enabled: false, warning: `${AUTO_UPDATE_ENV}=1 is ignored: this is not an installed (packaged) app.` };
  return { enabled: true };
}

async function electronUpdater(): Promise<Updater> {
  // electron-updater is CommonJS and defines `autoUpdater` as a getter, which Node does not
  // list among an ES import's named exports.
  return (await import('electron-updater')).default.autoUpdater;
}

/** Starts the check when configured; resolves whether it did. Loads electron-updater only then. */
export async function startAutoUpdate(
  env: NodeJS.ProcessEnv,
  packaged: boolean,
  log: (line: string) => void,
  loadUpdater: () => Promise<Updater> = electronUpdater,
): Promise<boolean> {
  const decision = autoUpdateDecision(env, packaged);
  if (!decision.enabled) {
    if (decision.warning) log(decision.warning);
    return false;
  }
  const updater = await loadUpdater();
  // Every failure, of the check or of the background download, is emitted as 'error' (and an
  // 'error' without a listener would throw): that is where it is reported, once.
  updater.on('error', (error) => log(`Update failed: ${error.message}`));
  await updater.checkForUpdatesAndNotify().catch(() => undefined);
  return true;
}
