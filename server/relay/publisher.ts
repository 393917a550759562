/**
 * What the station publishes on the relay: each public broadcast once on
 * `pileup.<station>.events`, the `status` snapshot in the KV bucket after every change, and the
 * `presence` heartbeat. It runs off the core's broadcasts, which come only after a change is on
 * disk, and sends the same bytes whatever the number of watchers: the fan-out is the NATS
 * server's. The snapshot is written once per change (a command's broadcasts are coalesced) and
 * again after every reconnect, so a watcher that missed events can always catch up from it.
 */
import { jetstream, JetStreamApiError } from '@nats-io/jetstream';
import { type KV, Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Broadcast } from '../protocol/broadcasts.js';
import { broadcastJson } from '../protocol/broadcast-json.js';
import type { Status } from '../protocol/entities.js';
import { type Clock, isoAt } from '../time/clock.js';
import { isRelayEventType, PRESENCE_INTERVAL_MS, PRESENCE_KEY, relayNames, STATUS_KEY } from '../protocol/relay.js';
import type { Presence, RelayStatusSnapshot } from '../protocol/relay-snapshot.js';

/** A snapshot that was not stored is tried again after this, doubling up to RETRY_LAST_MS. */
const RETRY_FIRST_MS = 500;
const RETRY_LAST_MS = 15_000;
/** Shutting down never waits longer than this for the last heartbeat to be acknowledged. */
const GOODBYE_TIMEOUT_MS = 2000;

/** Replicated on three servers where the NATS cluster has them; a single server keeps one copy. */
const REPLICA_CHOICES = [3, 1];

/** The station's bucket, created if it does not exist yet (history 1: only the latest value counts). */
export async function openBucket(nc: NatsConnection, bucket: string): Promise<KV> {
  const kvm = new Kvm(jetstream(nc));
  for (const replicas of REPLICA_CHOICES) {
    try {
      return await kvm.create(bucket, { history: 1, replicas, allow_direct: true });
    } catch (error) {
      if (replicas === 1 || !(error instanceof JetStreamApiError)) throw error;
    }
  }
  throw new Error('unreachable');
}

export interface PublisherOptions {
  station: string;
  status: () => Status;
  clock: Clock;
  presenceIntervalMs?: number;
  /** A write the NATS server refused or did not acknowledge, in plain words; null once one succeeds again. */
  onProblem: (reason: string | null) => void;
}

export class RelayPublisher {
  private readonly names;
  private nc: NatsConnection | null = null;
  private kv: KV | null = null;
  /** When the pileup last changed (the newest broadcast's timestamp). */
  private updatedAt: number;
  /** `updatedAt` of the snapshot last acknowledged by the server. */
  private writtenAt: number | null = null;
  private dirty = true;
  private flushing: Promise<void> | null = null;
  private scheduled = false;
  private heartbeat: ReturnType<typeof setInterval> | undefined;
  private troubled = false;
  private retry: ReturnType<typeof setTimeout> | undefined;
  private retryMs = RETRY_FIRST_MS;
  eventsPublished = 0;

  constructor(private readonly options: PublisherOptions) {
    this.names = relayNames(options.station);
    this.updatedAt = options.clock();
  }

  /** A fresh connection: the bucket, the snapshot and the first heartbeat, before anything else. */
  async attach(nc: NatsConnection): Promise<void> {
    const kv = await openBucket(nc, this.names.bucket);
    this.nc = nc;
    this.kv = kv;
    this.dirty = true;
    await this.flush();
    await this.putPresence(true);
    clearInterval(this.heartbeat);
    this.heartbeat = setInterval(() => void this.putPresence(true).catch(() => undefined), this.options.presenceIntervalMs ?? PRESENCE_INTERVAL_MS);
    this.heartbeat.unref();
  }

  /** The connection came back (maybe through another server): rewrite what may have been missed. */
  refresh(): void {
    this.dirty = true;
    void (async () => {
      // A write begun before the reconnect may still fail: write again after it.
      await this.flushing;
      await this.flush();
      await this.putPresence(true);
    })().catch(() => undefined);
  }

  detach(): void {
    clearTimeout(this.retry);
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
    this.nc = null;
    this.kv = null;
  }

  /** Says the station is going offline, so pages show it at once instead of after 45 s. */
  async goodbye(): Promise<void> {
    clearTimeout(this.retry);
    clearInterval(this.heartbeat);
    await this.flushing;
    await this.putPresence(false, GOODBYE_TIMEOUT_MS);
  }

  /** One broadcast of the core: public ones go out as they are; every change rewrites the snapshot. */
  onBroadcast(message: Broadcast): void {
    if (message.type === 'relay_update') return;
    this.updatedAt = Math.max(this.updatedAt, Date.parse(message.timestamp));
    if (isRelayEventType(message.type) && this.nc !== null && !this.nc.isClosed()) {
      this.nc.publish(this.names.events, broadcastJson(message));
      this.eventsPublished += 1;
    }
    this.dirty = true;
    // A command emits all its broadcasts in one go: one snapshot after the last of them.
    if (!this.scheduled) {
      this.scheduled = true;
      queueMicrotask(() => {
        this.scheduled = false;
        void this.flush();
      });
    }
  }

  /** Writes the latest snapshot until none is pending; one write at a time. */
  private flush(): Promise<void> {
    this.flushing ??= (async () => {
      try {
        while (this.dirty && this.kv !== null) {
          this.dirty = false;
          const updatedAt = this.updatedAt;
          const snapshot: RelayStatusSnapshot = { ...this.options.status(), updated_at: isoAt(updatedAt) };
          try {
            await this.kv.put(STATUS_KEY, JSON.stringify(snapshot));
            this.writtenAt = updatedAt;
            this.retryMs = RETRY_FIRST_MS;
            if (this.troubled) {
              this.troubled = false;
              this.options.onProblem(null);
            }
          } catch (error) {
            // Not stored (no connection, or JetStream electing a new leader): try again shortly.
            this.dirty = true;
            this.troubled = true;
            this.options.onProblem(`the status snapshot was not stored: ${(error as Error).message}`);
            clearTimeout(this.retry);
            this.retry = setTimeout(() => void this.flush(), this.retryMs);
            this.retry.unref();
            this.retryMs = Math.min(RETRY_LAST_MS, this.retryMs * 2);
            return;
          }
        }
      } finally {
        this.flushing = null;
      }
    })();
    return this.flushing;
  }

  private async putPresence(online: boolean, timeout?: number): Promise<void> {
    const kv = this.kv;
    if (kv === null) return;
    const presence: Presence = {
      online,
      at: isoAt(this.options.clock()),
      ...(this.writtenAt !== null && { status_updated_at: isoAt(this.writtenAt) }),
    };
    await kv.put(PRESENCE_KEY, JSON.stringify(presence), timeout === undefined ? {} : { timeout });
  }
}
