/**
 * Who the logger says is being worked: the DX call of WSJT-X's Status, the call typed in N1MM's
 * Entry Window (lookupinfo). Each bridge's latest call is shown in its status, and the console
 * marks that call when it is waiting in the queue. With "follow the logger" on, a call that is
 * waiting becomes the current QSO, as if the operator had clicked "Work this" — only when the
 * logger's call changes, so the operator can still pick someone else in the console.
 */
import { EventEmitter } from 'node:events';
import type { PileupService } from '../core/pileup-service.js';
import { normalizeCallsign } from '../protocol/callsign.js';
import type { BridgeName } from '../protocol/bridges.js';

export class LoggerCalls extends EventEmitter<{ changed: [] }> {
  private readonly calls = new Map<BridgeName, string>();

  constructor(
    private readonly service: PileupService,
    /** Whether "follow the logger" is on (the bridges' settings). */
    private readonly following: () => boolean,
  ) {
    super();
  }

  /** The call `bridge`'s logger is working, or null (none typed, or not a callsign). */
  current(bridge: BridgeName): string | null {
    return this.calls.get(bridge) ?? null;
  }

  /** The logger reported `raw` as its call (empty: none); returns a line for the console. */
  async report(bridge: BridgeName, raw: string): Promise<string> {
    const call = normalizeCallsign(raw);
    const previous = this.current(bridge);
    if (call === previous) return call ?? 'no call';
    if (call === null) this.calls.delete(bridge);
    else this.calls.set(bridge, call);
    this.emit('changed');
    if (call === null) return raw.trim() === '' ? 'no call' : `${raw.trim()} is not a callsign`;
    const waiting = this.service.status().queue.some((entry) => entry.callsign === call);
    if (!waiting) return `working ${call}`;
    if (!this.following()) return `working ${call} (waiting in the queue)`;
    await this.service.startQso(call, {}, bridge);
    return `working ${call}: now the current QSO`;
  }

  /** A bridge switched off: its logger no longer tells us anything. */
  forget(bridge: BridgeName): void {
    if (this.calls.delete(bridge)) this.emit('changed');
  }
}
