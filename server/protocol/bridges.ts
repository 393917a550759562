/**
 * Wire shapes of the logging-software bridges (WSJT-X/JTDX and N1MM Logger+ over UDP): their
 * settings and the state the console shows. Dependency-free apart from zod, like the rest of
 * server/protocol, so the renderer can import the types.
 */
import { z } from 'zod';
import { rigSettingsShape, rigStatusSchema } from './rig.js';

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

/** An address (`192.168.1.20`, `fe80::1`) or a network (`192.168.1.0/24`, `2001:db8::/32`). */
const senderPattern = z
  .string()
  .trim()
  .refine((value) => /^[0-9a-fA-F.:]{2,45}(\/\d{1,3})?$/.test(value), { message: 'must be an IP address or a network such as 192.168.1.0/24' });

/** At most this many entries in the bridges' allow-list. */
export const MAX_ALLOWED_SENDERS = 64;

/**
 * Port 0 switches a bridge off (the defaults are in server/config/defaults.ts).
 * `bind_address` null: the server's own bind address (so `--host 127.0.0.1` means loopback
 * bridges). `allowed_senders` empty: any sender that can reach the port; otherwise only those
 * addresses and networks (and this machine, always).
 */
export const bridgeSettingsSchema = z.object({
  wsjtx_port: udpPort,
  wsjtx_multicast_group: multicastGroup.nullable(),
  n1mm_port: udpPort,
  bind_address: ipAddress.nullable(),
  allowed_senders: z.array(senderPattern).max(MAX_ALLOWED_SENDERS),
  ...rigSettingsShape,
  /** Colour the queue (one colour) and the current QSO (another) in WSJT-X's decode windows. */
  wsjtx_highlight: z.boolean(),
  /** A call the logger is working that waits in the queue becomes the current QSO. */
  follow_logger: z.boolean(),
});
export type BridgeSettings = z.infer<typeof bridgeSettingsSchema>;

export const bridgeSettingsRequestSchema = bridgeSettingsSchema
  .partial()
  .refine((value) => Object.values(value).some((field) => field !== undefined), {
    message: `give at least one of ${Object.keys(bridgeSettingsSchema.shape).join(', ')}`,
  });

/** What a sender on the LAN may cost us: checked before a datagram is decoded. */
export const BRIDGE_LIMITS = {
  /** Real datagrams are far smaller (a contactinfo is about 2 KiB, a WSJT-X Status a few hundred bytes). */
  maxDatagramBytes: 16 * 1024,
  /** Per sender (see sender-key.ts); WSJT-X sends a burst of Decode messages every 15 s cycle. */
  maxDatagramsPerSecond: 200,
  /** Datagrams waiting to be applied per bridge; beyond that they are dropped. */
  maxQueued: 64,
} as const;

export const bridgeStates = ['off', 'listening', 'error'] as const;
export type BridgeState = (typeof bridgeStates)[number];

export const lastDatagramSchema = z.object({
  at: z.string(),
  from: z.string(),
  /** What it was, e.g. "Status", "QSO Logged", "contactinfo", or "malformed". */
  kind: z.string(),
  /** One line for the operator, e.g. "14.074 MHz FT8" or "EA8/DL1ABC logged". */
  summary: z.string(),
});
export type LastDatagram = z.infer<typeof lastDatagramSchema>;

export const bridgeStatusSchema = z.object({
  name: z.enum(bridgeNames),
  state: z.enum(bridgeStates),
  port: z.number().int(),
  /** The address bound (the setting, or the server's own address). */
  address: z.string(),
  /** Why it is not listening (e.g. the port is in use). */
  error: z.string().nullable(),
  /** Every datagram received; each is then counted once below (or is still waiting). */
  datagrams: z.number().int().nonnegative(),
  accepted: z.number().int().nonnegative(),
  /** Malformed, truncated, oversized or of another program: counted and dropped. */
  ignored: z.number().int().nonnegative(),
  /** From a sender outside `allowed_senders`: dropped unread. */
  not_allowed: z.number().int().nonnegative(),
  /** Over a sender's datagrams per second, or with too many waiting: dropped unread. */
  rate_limited: z.number().int().nonnegative(),
  /** A Status/RadioInfo (or other state report) replaced by a newer one before it was applied. */
  superseded: z.number().int().nonnegative(),
  /** QSOs beyond the first in one Logged ADIF datagram (WSJT-X sends one): dropped. */
  extra_qsos: z.number().int().nonnegative(),
  last_datagram: lastDatagramSchema.nullable(),
  /** The call the logger says is being worked (WSJT-X's DX call, N1MM's Entry Window), if any. */
  working_call: z.string().nullable(),
});
export type BridgeStatus = z.infer<typeof bridgeStatusSchema>;

/** What `admin_get_bridges`, `admin_set_bridges` and the `bridges_update` broadcast carry. */
export const bridgesSnapshotSchema = z.object({
  settings: bridgeSettingsSchema,
  bridges: z.array(bridgeStatusSchema),
  /** The rigctld client ("follow the rig"). */
  rig: rigStatusSchema,
});
export type BridgesSnapshot = z.infer<typeof bridgesSnapshotSchema>;
