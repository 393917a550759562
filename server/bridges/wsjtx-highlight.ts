/**
 * The pileup's queue inside WSJT-X: "Highlight Callsign" (message 13) colours every waiting
 * caller in one colour and the current QSO in another in WSJT-X's decode windows, and clears a
 * call once it leaves the queue. Each WSJT-X instance (by id) that sent us a datagram gets
 * them at the address it sends from, in the schema it speaks; only what changed is sent.
 * Off unless the `wsjtx_highlight` setting is on; switching it off clears what was coloured.
 */
import type { PileupService } from '../core/pileup-service.js';
import { BROADCAST_QUEUE_LIMIT } from '../protocol/rules.js';
import type { DatagramSender } from './udp-listener.js';
import { highlightCallsign, type Rgb } from './wsjtx-messages.js';

type Role = 'waiting' | 'current';

/** WSJT-X instances remembered at once (one per band or rig is usual): a bound on what a LAN sender can make us send. */
export const MAX_WSJTX_CLIENTS = 8;

/** Waiting: amber on black text; current QSO: green on white text (both readable on WSJT-X's white windows). */
export const HIGHLIGHT_COLORS: Record<Role, { background: Rgb; foreground: Rgb }> = {
  waiting: { background: [255, 193, 7], foreground: [0, 0, 0] },
  current: { background: [46, 125, 50], foreground: [255, 255, 255] },
};

interface Client {
  id: string;
  schema: number;
  to: DatagramSender;
  /** What this instance shows now. */
  shown: Map<string, Role>;
}

export type SendDatagram = (datagram: Buffer, to: DatagramSender) => Promise<boolean>;

export class WsjtxHighlighter {
  private readonly clients = new Map<string, Client>();
  private enabled = false;
  /** One refresh at a time, and at most one more after it, however many changes arrive. */
  private running: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly service: PileupService,
    private readonly send: SendDatagram,
  ) {
    service.on('broadcast', (message) => {
      if (message.type === 'queue_update' || message.type === 'qso_update') void this.refresh();
    });
  }

  /** Switches highlighting on or off; off clears every highlight sent. */
  setEnabled(enabled: boolean): Promise<void> {
    this.enabled = enabled;
    return this.refresh();
  }

  /** A WSJT-X instance spoke (any message): it gets the current highlights if it is new or moved. */
  seen(id: string, schema: number, to: DatagramSender): Promise<void> {
    const known = this.clients.get(id);
    if (known !== undefined && known.to.address === to.address && known.to.port === to.port) {
      known.schema = schema;
      return Promise.resolve();
    }
    if (known === undefined && this.clients.size >= MAX_WSJTX_CLIENTS) return Promise.resolve();
    this.clients.set(id, { id, schema, to, shown: new Map() });
    return this.refresh();
  }

  /** The instance closed (WSJT-X's Close message): whatever it showed went with it. */
  closed(id: string): void {
    this.clients.delete(id);
  }

  /** Resolves once every client shows the pileup as it is now. */
  refresh(): Promise<void> {
    if (this.running !== null) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.sync();
      } while (this.again);
      this.running = null;
    })();
    return this.running;
  }

  private wanted(): Map<string, Role> {
    const wanted = new Map<string, Role>();
    if (!this.enabled) return wanted;
    const { queue, current_qso: current } = this.service.status();
    for (const entry of queue.slice(0, BROADCAST_QUEUE_LIMIT)) wanted.set(entry.callsign, 'waiting');
    if (current !== null) wanted.set(current.callsign, 'current');
    return wanted;
  }

  private async sync(): Promise<void> {
    if (this.clients.size === 0) return;
    const wanted = this.wanted();
    for (const client of this.clients.values()) {
      for (const call of [...client.shown.keys()]) {
        if (wanted.has(call)) continue;
        if (await this.send(highlightCallsign(client, call, null), client.to)) client.shown.delete(call);
      }
      for (const [call, role] of wanted) {
        if (client.shown.get(call) === role) continue;
        if (await this.send(highlightCallsign(client, call, HIGHLIGHT_COLORS[role]), client.to)) client.shown.set(call, role);
      }
    }
  }
}
