/**
 * One UDP listener of a bridge and what the console shows about it: state, counters and the last
 * datagram. Datagrams are handled one at a time, in arrival order; one that fails to decode or
 * apply is counted as ignored and dropped, and the listener goes on. It only listens: nothing is
 * ever sent back, so no QSO can echo back into the logger it came from.
 */
import dgram from 'node:dgram';
import { EventEmitter } from 'node:events';
import { isIP } from 'node:net';
import { SerialQueue } from '../async/serial-queue.js';
import { type Clock, isoAt } from '../time/clock.js';
import type { BridgeName, BridgeStatus, LastDatagram } from '../protocol/bridges.js';

export interface DatagramOutcome {
  kind: string;
  summary: string;
}

export type DatagramHandler = (datagram: Buffer) => Promise<DatagramOutcome>;

export interface ListenOptions {
  port: number;
  address: string;
  multicastGroup?: string | null;
}

export class UdpListener extends EventEmitter<{ handled: [LastDatagram] }> {
  private socket: dgram.Socket | null = null;
  private readonly pending = new SerialQueue();
  private current: ListenOptions = { port: 0, address: '0.0.0.0' };
  private error: string | null = null;
  private counts = { datagrams: 0, accepted: 0, ignored: 0 };
  private last: LastDatagram | null = null;

  constructor(
    readonly name: BridgeName,
    private readonly handle: DatagramHandler,
    private readonly clock: Clock,
  ) {
    super();
  }

  status(): BridgeStatus {
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
      this.error = (error as Error).message;
      return;
    }
    socket.on('error', (error) => {
      this.error = error.message;
    });
    socket.on('message', (datagram, remote) => {
      void this.pending.run(() => this.process(datagram, `${remote.address}:${remote.port}`));
    });
    this.socket = socket;
  }

  async stop(): Promise<void> {
    const socket = this.socket;
    this.socket = null;
    if (socket !== null) await new Promise<void>((resolve) => socket.close(() => resolve()));
    await this.pending.drain();
  }

  private async process(datagram: Buffer, from: string): Promise<void> {
    this.counts.datagrams += 1;
    let outcome: DatagramOutcome;
    try {
      outcome = await this.handle(datagram);
      this.counts.accepted += 1;
    } catch (error) {
      this.counts.ignored += 1;
      outcome = { kind: 'ignored', summary: error instanceof Error ? error.message.slice(0, 120) : 'unreadable' };
    }
    this.last = { at: isoAt(this.clock()), from, ...outcome };
    this.emit('handled', this.last);
  }
}
