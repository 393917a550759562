/** The URLs the server is reached by: its own (loopback when bound to every interface) and the LAN's. */
import os from 'node:os';
import { WS_PATH } from '../protocol/endpoints.js';

/** An address that binds every interface, so the server is reached through each of them. */
export function isWildcardHost(host: string): boolean {
  return host === '0.0.0.0' || host === '::';
}

/** The address this machine itself uses to reach a server bound to `host`. */
export function loopbackFor(host: string): string {
  if (!isWildcardHost(host)) return host;
  return host === '::' ? '::1' : '127.0.0.1';
}

export function urlFor(scheme: 'ws' | 'http', host: string, port: number, pathname: string): string {
  const shown = host.includes(':') ? `[${host}]` : host;
  return `${scheme}://${shown}:${port}${pathname}`;
}

export function wsUrl(host: string, port: number): string {
  return urlFor('ws', host, port, WS_PATH);
}

/** Every address on this machine the LAN can use to reach a server bound to `host`. */
function lanAddresses(host: string): string[] {
  if (!isWildcardHost(host)) return [host];
  return Object.values(os.networkInterfaces())
    .flat()
    .filter((info): info is os.NetworkInterfaceInfo => info !== undefined && !info.internal)
    .filter((info) => host === '::' || info.family === 'IPv4')
    .map((info) => info.address);
}

/** Every address on this machine that logging software on the LAN can use to reach us. */
export function lanUrls(host: string, port: number): string[] {
  return lanAddresses(host).map((address) => wsUrl(address, port));
}

/** A page (`/admin`, `/`) at every LAN address: what a phone on the same network opens. */
export function lanPageUrls(host: string, port: number, pathname: string): string[] {
  return lanAddresses(host).map((address) => urlFor('http', address, port, pathname));
}
