/**
 * Wire shapes of the logging-software bridges (WSJT-X/JTDX and N1MM Logger+ over UDP): their
 * settings and the state the console shows. Dependency-free apart from zod, like the rest of
 * server/protocol, so the renderer can import the types.
 */
import { z } from 'zod';

export const bridgeNames = ['wsjtx', 'n1mm'] as const;
export type BridgeName = (typeof bridgeNames)[number];

const udpPort = z.number().int().min(0).max(65535);
const ipAddress = z.string().trim().refine((value) => /^[0-9a-fA-F.:]{2,45}$/.test(value), { message: 'must be an IP address' });
const multicastGroup = z
  .string()
  .trim()
  .refine((value) => /^2(2[4-9]|3\d)\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(value) || /^ff[0-9a-f]{2}:/i.test(value), {
    message: 'must be a multicast address such as 239.255.0.1',
  });

/** Port 0 switches a bridge off. Both are off by default: 2237 is often taken by another listener. */
export const bridgeSettingsSchema = z.object({
  wsjtx_port: udpPort,
  wsjtx_multicast_group: multicastGroup.nullable(),
  n1mm_port: udpPort,
  bind_address: ipAddress,
});
export type BridgeSettings = z.infer<typeof bridgeSettingsSchema>;

export const DEFAULT_BRIDGE_SETTINGS: BridgeSettings = {
  wsjtx_port: 0,
  wsjtx_multicast_group: null,
  n1mm_port: 0,
  bind_address: '0.0.0.0',
};

export const bridgeSettingsRequestSchema = bridgeSettingsSchema
  .partial()
  .refine((value) => Object.values(value).some((field) => field !== undefined), {
    message: 'give at least one of wsjtx_port, wsjtx_multicast_group, n1mm_port, bind_address',
  });

export type BridgeState = 'off' | 'listening' | 'error';

export interface LastDatagram {
  at: string;
  from: string;
  /** What it was, e.g. "Status", "QSO Logged", "contactinfo", or "malformed". */
  kind: string;
  /** One line for the operator, e.g. "14.074 MHz FT8" or "EA8/DL1ABC logged". */
  summary: string;
}

export interface BridgeStatus {
  name: BridgeName;
  state: BridgeState;
  port: number;
  address: string;
  /** Why it is not listening (e.g. the port is in use). */
  error: string | null;
  datagrams: number;
  accepted: number;
  /** Malformed, truncated, oversized or of another program: counted and dropped. */
  ignored: number;
  last_datagram: LastDatagram | null;
}
