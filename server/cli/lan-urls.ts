/** Every address on this machine that logging software on the LAN can use to reach us. */
import os from 'node:os';
import { isWildcardHost, wsUrl } from '../app.js';

export function lanUrls(host: string, port: number): string[] {
  if (!isWildcardHost(host)) return [wsUrl(host, port)];
  const addresses = Object.values(os.networkInterfaces())
    .flat()
    .filter((info): info is os.NetworkInterfaceInfo => info !== undefined && !info.internal)
    .filter((info) => host === '::' || info.family === 'IPv4');
  return addresses.map((info) => wsUrl(info.address, port));
}
