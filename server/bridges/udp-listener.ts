/**
 * One UDP listener of a bridge and what the console shows about it: state, counters and the last
 * datagram. It sends only what a bridge asks for (WSJT-X's heartbeat answer and highlights), to
 * the logger's own address and port; no QSO is ever sent back into the logger it came from.
 *
 * What a sender can cost us is bounded before anything is decoded: a sender outside the
 * allow-list is dropped unread; so is a sender over its datagrams per second (BRIDGE_LIMITS) and
 * a datagram over the size limit. The rest is decoded at once into a job; jobs are applied one at
 * a time, in arrival order, at most BRIDGE_LIMITS.maxQueued waiting. A job with a `coalesce` key
 * (a Status or RadioInfo: the logger's current state) replaces a waiting one with the same key,
 * so a flood of them becomes one write, never a queue. One that fails to decode or apply is
 * counted as ignored, and the listener goes on.
 */
import dgram from 'node:dgram';
import { EventEmitter } from 'node:events';
import { isIP } from 'node:net';
import { senderKey } from '../limits/sender-key.js';
import { SlidingWindow } from '../limits/sliding-window.js';
import { type Clock, isoAt, type MonotonicClock } from '../time/clock.js';
import { BRIDGE_LIMITS, type BridgeName, type BridgeStatus, type LastDatagram } from '../protocol/bridges.js';
import { summarize } from '../protocol/summary.js';
import { ANY_SENDER, type SenderAllowList } from './sender-allow-list.js';
import { MalformedDatagramError } from './wsjtx-messages.js';

export interface DatagramOutcome {
  kind: string;
  summary: string;
  /** QSOs in the datagram beyond the one applied. */
  extraQsos?: number;
}

export interface DatagramJob {
  /** Jobs with the same key replace one another while waiting: only the latest is applied. */
  coalesce?: string;
  run(): Promise<DatagramOutcome>;
}

/** Where a datagram came from: a logger's own socket, which is also where it listens for answers. */
export interface DatagramSender {
  address: string;
  port: number;
}

/** Decodes one datagram into the job that applies it; throws when it is malformed. */
export type DatagramDecoder = (datagram: Buffer, sender: DatagramSender) => DatagramJob;

export type DropReason = 'not_allowed' | 'rate_limited' | 'superseded';

export interface ListenOptions {
  port: number;
  address: string;
  multicastGroup?: string | null;
}

interface Waiting {
  job: DatagramJob;
  from: string;
}

const PER_SENDER = { limit: BRIDGE_LIMITS.maxDatagramsPerSecond, windowMs: 1000 };

export class UdpListener extends EventEmitter<{ handled: [LastDatagram]; dropped: [DropReason] }> {
  private socket: dgram.Socket | null = null;
  private current: ListenOptions = { port: 0, address: '0.0.0.0' };
  private error: string | null = null;
  private counts = { datagrams: 0, accepted: 0, ignored: 0, not_allowed: 0, rate_limited: 0, superseded: 0, extra_qsos: 0 };
  private last: LastDatagram | null = null;
  private allowed: SenderAllowList = ANY_SENDER;
  private readonly senders = new SlidingWindow();
  private readonly waiting: Waiting[] = [];
  /** Settles when the jobs taken so far are applied; null when none is running. */
  private applying: Promise<void> | null = null;

  constructor(
    readonly name: BridgeName,
    private readonly decode: DatagramDecoder,
    private readonly clock: Clock,
    private readonly monotonicClock: MonotonicClock,
  ) {
    super();
  }

  status(): Omit<BridgeStatus, 'working_call'> {
    const listening = this.socket !== null;
    return {
      name: this.name,
      state: listening ? 'listening' : this.error !== null ? 'error' : 'off',
      port: listening ? this.socket?.address().port ?? this.current.port : this.current.port,
      address: this.current.address,
      error: this.error,
      ...this.counts,
      last_datagram: this.last,
    };
  }

  /** Senders whose datagrams are read; takes effect at once, without rebinding. */
  allow(allowed: SenderAllowList): void {
    this.allowed = allowed;
  }

  /** (Re)binds; port 0 switches the listener off. A bind failure is reported, never thrown. */
  async listen(options: ListenOptions): Promise<void> {
    await this.stop();
    this.current = options;
    this.error = null;
    if (options.port === 0) return;
    // Only a multicast group is meant to be shared with other listeners; a unicast port in use is an error to show.
    const reuseAddr = Boolean(options.multicastGroup);
    const socket = dgram.createSocket({ type: isIP(options.address) === 6 ? 'udp6' : 'udp4', reuseAddr });
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('error', reject);
        socket.bind(options.port, options.address, () => {
          socket.off('error', reject);
          resolve();
        });
      });
      if (options.multicastGroup) socket.addMembership(options.multicastGroup);
    } catch (error) {
      socket.close();
      this.error = summarize((error as Error).message);
      return;
    }
    socket.on('error', (error) => {
      this.error = summarize(error.message);
    });
    socket.on('message', (datagram, remote) => this.receive(datagram, { address: remote.address, port: remote.port }));
    this.socket = socket;
  }

  async stop(): Promise<void> {
    const socket = this.socket;
    this.socket = null;
    if (socket !== null) await new Promise<void>((resolve) => socket.close(() => resolve()));
    await this.applying;
  }

  /** Sends one datagram to a logger from the bridge's own port; false when it could not be sent. */
  send(datagram: Buffer, to: DatagramSender): Promise<boolean> {
    const socket = this.socket;
    if (socket === null) return Promise.resolve(false);
    return new Promise((resolve) => socket.send(datagram, to.port, to.address, (error) => resolve(!error)));
  }

  private receive(datagram: Buffer, sender: DatagramSender): void {
    const { address } = sender;
    const from = `${address}:${sender.port}`;
    this.counts.datagrams += 1;
    if (!this.allowed(address)) return this.drop('not_allowed');
    if (this.senders.admit(senderKey(address), PER_SENDER, this.monotonicClock()) > 0) return this.drop('rate_limited');
    let job: DatagramJob;
    try {
      if (datagram.length > BRIDGE_LIMITS.maxDatagramBytes) throw new MalformedDatagramError(`datagram of ${datagram.length} bytes is too large`);
      job = this.decode(datagram, sender);
    } catch (error) {
      this.ignored(error, from);
      return;
    }
    const replaced = job.coalesce === undefined ? -1 : this.waiting.findIndex((waiting) => waiting.job.coalesce === job.coalesce);
    if (replaced >= 0) {
      this.waiting.splice(replaced, 1);
      this.drop('superseded');
    } else if (this.waiting.length >= BRIDGE_LIMITS.maxQueued) {
      return this.drop('rate_limited');
    }
    this.waiting.push({ job, from });
    this.applying ??= this.applyWaiting();
  }

  private async applyWaiting(): Promise<void> {
    for (let next = this.waiting.shift(); next !== undefined; next = this.waiting.shift()) {
      try {
        const { extraQsos = 0, ...outcome } = await next.job.run();
        this.counts.accepted += 1;
        this.counts.extra_qsos += extraQsos;
        this.remember(outcome, next.from);
      } catch (error) {
        this.ignored(error, next.from);
      }
    }
    this.applying = null;
  }

  private drop(reason: DropReason): void {
    this.counts[reason] += 1;
    this.emit('dropped', reason);
  }

  private ignored(error: unknown, from: string): void {
    this.counts.ignored += 1;
    this.remember({ kind: 'ignored', summary: error instanceof Error ? error.message : 'unreadable' }, from);
  }

  private remember(outcome: DatagramOutcome, from: string): void {
    this.last = { at: isoAt(this.clock()), from, kind: summarize(outcome.kind), summary: summarize(outcome.summary) };
    this.emit('handled', this.last);
  }
}
