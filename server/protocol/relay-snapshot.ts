/**
 * The two values the station keeps in its KV bucket (PROTOCOL.md, "Public relay over NATS"):
 * `status`, what a new watcher reads before following the events, and `presence`, the heartbeat
 * that tells a page whether the station is there at all.
 */
import { z } from 'zod';
import { statusSchema } from './entities.js';
import { timestampSchema as timestamp } from './entities.js';

/** KV `status`: the `data` of a `get_queue_status` reply plus when the pileup last changed. */
export const relayStatusSnapshotSchema = statusSchema.extend({ updated_at: timestamp });
export type RelayStatusSnapshot = z.infer<typeof relayStatusSnapshotSchema>;

/**
 * KV `presence`. `status_updated_at` (an addition to the contract's two fields) is the
 * `updated_at` of `status` when this was written: a watcher whose newest change is older
 * re-reads `status`, so a change that published no event (a pause) is never missed for long.
 */
export const presenceSchema = z.object({
  online: z.boolean(),
  at: timestamp,
  status_updated_at: timestamp.optional(),
});
export type Presence = z.infer<typeof presenceSchema>;

