/**
 * The native dialogs of start-up: the first-run credentials and LAN URLs, the data that could
 * not be read, a port already in use, and a start-up that failed. None has a parent window:
 * they must show even while the console is hidden in the tray.
 */
import { clipboard, dialog } from 'electron';
import type { AppInfo } from '../server/protocol/ipc-contract.js';

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

export async function showFirstRun(info: AppInfo): Promise<void> {
  const password = info.generatedPassword;
  if (password === null) return;
  const { response } = await dialog.showMessageBox({
    type: 'info',
    title: TITLE,
    message: 'Welcome to Pileup Buster',
    detail: [
      `Admin user: ${info.username}`,
      `Admin password: ${password}`,
      'Write the password down: it is shown only this once (only its hash is stored). ' +
        'Set ADMIN_PASSWORD to use your own.',
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

export async function showStoreWarnings(info: AppInfo): Promise<void> {
  if (info.storeWarnings.length === 0) return;
  await dialog.showMessageBox({
    type: 'warning',
    title: TITLE,
    message: 'Some saved data could not be read',
    detail: `Pileup Buster started anyway, without these lines:\n${info.storeWarnings.join('\n')}`,
    buttons: ['OK'],
    noLink: true,
  });
}

export function showStartupFailure(error: unknown): void {
  dialog.showErrorBox(`${TITLE} could not start`, error instanceof Error ? error.message : String(error));
}
