/**
 * The listen address (bind host and TCP port) the operator stores for the next start.
 * Dependency-free apart from zod, like the rest of server/protocol: that the host is an IP
 * address (node:net isIP) is checked on the server, in server/listen.ts.
 */
import { z } from 'zod';

export const LISTEN_HOST_PROBLEM = 'must be an IPv4 or IPv6 address, "0.0.0.0", "::" or "localhost"';

/** Port 0 ("any free port") is fine on the command line but useless as a stored setting. */
export const listenSettingsSchema = z.object({
  host: z.string().trim().min(1).max(255),
  port: z.number().int().min(1).max(65535),
});
export type ListenSettings = z.infer<typeof listenSettingsSchema>;

/** What `admin_get_listen` and `admin_set_listen` answer: the stored setting and the address in use. */
export const listenSnapshotSchema = listenSettingsSchema.extend({
  active_host: z.string(),
  active_port: z.number().int().min(0).max(65535),
  applies_after_restart: z.literal(true),
});
export type ListenSnapshot = z.infer<typeof listenSnapshotSchema>;
