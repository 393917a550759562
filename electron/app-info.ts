/** What the operator needs to know about this instance, for the `info` IPC channel and the dialogs. */
import type { RunningServer } from '../server/app.js';
import { lanPageUrls, lanUrls } from '../server/net/urls.js';
import { CONSOLE_PATH, PUBLIC_PAGE_PATH } from '../server/protocol/endpoints.js';
import type { AppInfo } from '../server/protocol/ipc-contract.js';
import type { OpenReport } from '../server/store/pileup-store.js';

function storeWarnings({ skipped, backups }: OpenReport): string[] {
  return [
    ...skipped.map((s) => `${s.file} line ${s.line} could not be read and was skipped: ${s.preview}`),
    ...backups.map((backup) => `The original file was kept as ${backup}`),
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
    storeWarnings: [...storeWarnings(server.storeReport), ...(server.station.problem === null ? [] : [server.station.problem])],
    clients: server.gateway.clientCount(),
  };
}
