/** What the operator needs to know about this instance, for the `info` IPC channel and the dialogs. */
import type { RunningServer } from '../server/app.js';
import { CREDENTIALS_UNREADABLE } from '../server/auth/credentials.js';
import { lanPageUrls, lanUrls } from '../server/net/urls.js';
import { CONSOLE_PATH, PUBLIC_PAGE_PATH } from '../server/protocol/endpoints.js';
import type { AppInfo } from '../server/protocol/ipc-contract.js';

function storeWarnings(server: RunningServer): string[] {
  const { skipped, backups } = server.storeReport;
  return [
    ...skipped.map((s) => `${s.file} line ${s.line} could not be read and was skipped: ${s.preview}`),
    ...backups.map((backup) => `The original file was kept as ${backup}`),
    ...(server.credentials.source === 'unreadable' ? [CREDENTIALS_UNREADABLE] : []),
    ...(server.sessions.endedByDamage
      ? ['sessions.db was damaged, so every operator session has ended (a damaged line may have been a logout): browsers and logging software log in again.']
      : []),
    ...(server.station.problem === null ? [] : [server.station.problem]),
  ];
}

/** LAN addresses first (what other computers use), then this machine's own address. */
export function appInfo(server: RunningServer, host: string, version: string): AppInfo {
  const { port } = server.address;
  const wsUrls = [...new Set([...lanUrls(host, port), server.url])];
  return {
    version,
    wsUrls,
    consoleUrls: [...new Set([...lanPageUrls(host, port, CONSOLE_PATH), server.consoleUrl])],
    publicUrls: [...new Set([...lanPageUrls(host, port, PUBLIC_PAGE_PATH), server.publicUrl])],
    username: server.credentials.username,
    generatedPassword: server.credentials.generatedPassword ?? null,
    storeWarnings: storeWarnings(server),
    clients: server.gateway.clientCount(),
  };
}
