/**
 * The native dialogs of start-up: the first-run credentials and LAN URLs, the data that could
 * not be read, a port already in use, a data folder another Pileup Buster holds, credentials
 * that cannot be read, and a start-up that failed. None has a parent window: they must show
 * even while the console is hidden in the tray.
 */
import { clipboard, dialog } from 'electron';
import type { AppInfo } from '../server/protocol/ipc-contract.js';
import type { DataDirLocked } from '../server/store/data-dir-lock.js';

const TITLE = 'Pileup Buster';

export async function askForAnotherPort(port: number): Promise<number | null> {
  const choices: { label: string; port: number | null }[] = [
    ...(port < 65535 ? [{ label: `Use port ${port + 1}`, port: port + 1 }] : []),
    { label: 'Use any free port', port: 0 },
    { label: 'Quit', port: null },
  ];
  const { response } = await dialog.showMessageBox({
    type: 'warning',
    title: TITLE,
    message: `Port ${port} is already in use`,
    detail:
      'Another program, perhaps Pileup Buster started from a terminal, is listening on it. ' +
      'On another port, logging software must use the address shown after start-up.',
    buttons: choices.map((choice) => choice.label),
    defaultId: 0,
    cancelId: choices.length - 1,
    noLink: true,
  });
  return choices[response]?.port ?? null;
}

/** Another Pileup Buster holds the data folder: true to try again (it was closed meanwhile), false to quit. */
export async function askWhenFolderInUse(error: DataDirLocked): Promise<boolean> {
  const { response } = await dialog.showMessageBox({
    type: 'error',
    title: TITLE,
    message: 'The data folder is in use',
    detail:
      `${error.message[0]?.toUpperCase() ?? ''}${error.message.slice(1)}. ` +
      'Only one Pileup Buster may use a data folder at a time, or one would overwrite the other\'s queue and log. ' +
      'Quit the other one (perhaps npm run serve in a terminal) and try again, or start this one with --data-dir.',
    buttons: ['Quit', 'Try again'],
    defaultId: 0,
    cancelId: 0,
    noLink: true,
  });
  return response === 1;
}

/** The stored credentials are damaged: true when the operator chose to reset the password. */
export async function askToResetPassword(message: string): Promise<boolean> {
  const { response } = await dialog.showMessageBox({
    type: 'error',
    title: TITLE,
    message: 'The admin password could not be read',
    detail:
      `${message}\n\nThis console keeps working. Reset the password to let browsers and logging software log in ` +
      'again: a new password is generated and shown once, and every session ends.',
    buttons: ['Reset password', 'Later'],
    defaultId: 0,
    cancelId: 1,
    noLink: true,
  });
  return response === 0;
}

/** Shows a generated password once, with the URLs to type into logging software; offers to copy it. */
export async function showPassword(info: AppInfo, password: string, heading: string, why: string): Promise<void> {
  const { response } = await dialog.showMessageBox({
    type: 'info',
    title: TITLE,
    message: heading,
    detail: [
      `Admin user: ${info.username}`,
      `Admin password: ${password}`,
      `Write the password down: it is shown only this once (only its hash is stored). ${why}`,
      '',
      'Logging software should connect to:',
      ...info.wsUrls.map((url) => `  ${url}`),
    ].join('\n'),
    buttons: ['OK', 'Copy password'],
    defaultId: 0,
    cancelId: 0,
    noLink: true,
  });
  if (response === 1) clipboard.writeText(password);
}

export async function showFirstRun(info: AppInfo): Promise<void> {
  if (info.generatedPassword === null) return;
  await showPassword(info, info.generatedPassword, 'Welcome to Pileup Buster', 'Set ADMIN_PASSWORD to use your own.');
}

export async function showStoreWarnings(info: AppInfo): Promise<void> {
  if (info.storeWarnings.length === 0) return;
  await dialog.showMessageBox({
    type: 'warning',
    title: TITLE,
    message: 'Some saved data could not be read',
    detail: `Pileup Buster started anyway:\n${info.storeWarnings.join('\n')}`,
    buttons: ['OK'],
    noLink: true,
  });
}

export function showStartupFailure(error: unknown): void {
  dialog.showErrorBox(`${TITLE} could not start`, error instanceof Error ? error.message : String(error));
}
