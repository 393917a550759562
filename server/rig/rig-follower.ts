/**
 * "Follow the rig": polls Hamlib's `rigctld` for the rig's frequency and mode about once a second
 * and sets the station's frequency and mode through `PileupService.setFrequency`, the same path
 * as the WSJT-X and N1MM bridges. A thin adapter on the core, like them.
 *
 * - The station follows the rig's *changes*: a reading is applied when it differs from the last
 *   one applied (and from the station), so a frequency the operator typed stays until the VFO
 *   moves, and an unchanged rig writes nothing. The first reading after a connection is applied.
 * - Data modes keep the station's mode (ham/hamlib-mode.ts): the rig in PKTUSB under WSJT-X
 *   still leaves FT8 as the mode.
 * - rigctld not there, or gone: tried again after 1 s, then twice as long each time up to 15 s,
 *   for as long as the client is on. A rig-side error (`RPRT -5`, the rig switched off) keeps the
 *   connection and is shown until a poll succeeds.
 * - rigctld started with `--vfo` wants a VFO with each command: asked once per connection
 *   (`\chk_vfo`), then `currVFO` is sent along.
 */
import { EventEmitter } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import type { PileupService } from '../core/pileup-service.js';
import { changesStation, mhzFromHz } from '../ham/frequency.js';
import { modeFromHamlib } from '../ham/hamlib-mode.js';
import { type RigStatus, rigStatusOff } from '../protocol/rig.js';
import { type Clock, isoAt } from '../time/clock.js';
import { HamlibError, RigctldConnection } from './rigctld-connection.js';

export interface RigTiming {
  /** From the end of one poll to the start of the next. */
  pollIntervalMs: number;
  /** A connection or an answer that takes longer ends the connection. */
  commandTimeoutMs: number;
  /** The first wait before trying again; doubled after each failure, up to `retryMaxMs`. */
  retryMinMs: number;
  retryMaxMs: number;
}

export const RIG_TIMING: Readonly<RigTiming> = Object.freeze({ pollIntervalMs: 1000, commandTimeoutMs: 3000, retryMinMs: 1000, retryMaxMs: 15_000 });

export interface RigTarget {
  enabled: boolean;
  host: string;
  port: number;
}

/** rigctld answered, but not with a usable reading (a rig switched off may report 0 Hz): the connection stays. */
class RigReadingError extends Error {}

type Reading = Pick<RigStatus, 'frequency' | 'rig_mode' | 'passband_hz' | 'mode'>;

/** One line for the operator: what went wrong and, where it helps, what to check. */
function describe(error: unknown, target: RigTarget): string {
  const code = (error as NodeJS.ErrnoException).code;
  const where = `${target.host}:${target.port}`;
  if (code === 'ECONNREFUSED') return `connection refused at ${where}: is rigctld running (rigctld -m MODEL -r PORT -t ${target.port})?`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `unknown host ${target.host}`;
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return `${target.host} is unreachable`;
  if (code === 'ECONNRESET') return 'rigctld reset the connection';
  return error instanceof Error ? error.message : String(error);
}

export class RigFollower extends EventEmitter<{ changed: []; polled: [] }> {
  private readonly timing: RigTiming;
  private target: RigTarget = { enabled: false, host: '', port: 0 };
  private current: RigStatus;
  private abort: AbortController | undefined;
  private running: Promise<void> | undefined;
  private connection: RigctldConnection | undefined;

  constructor(
    private readonly service: PileupService,
    private readonly clock: Clock,
    timing: Partial<RigTiming> = {},
  ) {
    super();
    this.timing = { ...RIG_TIMING, ...timing };
    this.current = rigStatusOff('', 0);
  }

  status(): RigStatus {
    return { ...this.current };
  }

  /** Stops following the old target, then follows the new one if it is enabled. */
  async configure(target: RigTarget): Promise<void> {
    await this.stop();
    this.target = { ...target };
    this.update({ state: target.enabled ? 'connecting' : 'off', host: target.host, port: target.port, error: null, retry_at: null, connected_at: null });
    if (!target.enabled) return;
    const abort = new AbortController();
    this.abort = abort;
    this.running = this.run(abort.signal);
  }

  async close(): Promise<void> {
    await this.stop();
  }

  private async stop(): Promise<void> {
    this.abort?.abort();
    this.abort = undefined;
    this.connection?.close();
    await this.running;
    this.running = undefined;
  }

  private async run(signal: AbortSignal): Promise<void> {
    let retryMs = this.timing.retryMinMs;
    while (!signal.aborted) {
      this.update({ state: 'connecting', retry_at: null });
      try {
        await this.follow(signal, () => {
          retryMs = this.timing.retryMinMs;
        });
      } catch (error) {
        this.connection?.close();
        this.connection = undefined;
        if (signal.aborted) return;
        this.update({ state: 'error', error: describe(error, this.target), connected_at: null, retry_at: isoAt(this.clock() + retryMs) });
        const waited = await sleep(retryMs, true, { signal }).catch(() => false);
        if (!waited) return;
        retryMs = Math.min(retryMs * 2, this.timing.retryMaxMs);
      }
    }
  }

  /** One connection: opened, then polled until it fails (throws) or the follower stops. */
  private async follow(signal: AbortSignal, onPoll: () => void): Promise<void> {
    const { host, port } = this.target;
    const connection = await RigctldConnection.connect(host, port, this.timing.commandTimeoutMs, signal);
    this.connection = connection;
    const vfo = await this.vfoArgument(connection);
    this.update({ state: 'connected', connected_at: isoAt(this.clock()), connections: this.current.connections + 1 });
    let applied: string | undefined;
    while (!signal.aborted) {
      try {
        applied = await this.poll(connection, vfo, applied);
        onPoll();
      } catch (error) {
        // The rig refused or is off: rigctld itself is fine, so the connection stays.
        if (!(error instanceof HamlibError || error instanceof RigReadingError)) throw error;
        if (error.message !== this.current.error) this.update({ error: error.message });
      }
      const waited = await sleep(this.timing.pollIntervalMs, true, { signal }).catch(() => false);
      if (!waited) return;
    }
  }

  /** ` currVFO` when rigctld runs with `--vfo` (`\chk_vfo` answers 1; older ones `CHKVFO 1`), else nothing. */
  private async vfoArgument(connection: RigctldConnection): Promise<string> {
    const answer = await connection.requestLine('\\chk_vfo').catch((error: unknown) => {
      if (error instanceof HamlibError) return '0';
      throw error;
    });
    const vfoMode = /^(?:CHKVFO )?([01])$/i.exec(answer.trim())?.[1];
    if (vfoMode === undefined) throw new Error(`not a rigctld answer (\\chk_vfo answered ${JSON.stringify(answer.slice(0, 80))})`);
    return vfoMode === '1' ? ' currVFO' : '';
  }

  /** Reads frequency and mode; applies them when they changed since `applied`; returns what is applied now. */
  private async poll(connection: RigctldConnection, vfo: string, applied: string | undefined): Promise<string | undefined> {
    const frequencyValues = await connection.request(`f${vfo}`);
    const modeValues = await connection.request(`m${vfo}`);
    const rawFrequency = frequencyValues.get('Frequency') ?? '';
    const frequency = mhzFromHz(Number(rawFrequency));
    if (frequency === undefined) throw new RigReadingError(`rig: not a frequency from rigctld: ${JSON.stringify(rawFrequency.slice(0, 40))}`);
    const rigMode = modeValues.get('Mode') ?? null;
    const passband = Number(modeValues.get('Passband'));
    const reading: Reading = {
      frequency,
      rig_mode: rigMode,
      passband_hz: Number.isInteger(passband) ? passband : null,
      mode: rigMode === null ? null : (modeFromHamlib(rigMode) ?? null),
    };
    const now = isoAt(this.clock());
    const key = `${reading.frequency}|${reading.rig_mode ?? ''}`;
    const changed = key !== applied;
    this.current = { ...this.current, ...reading, last_poll_at: now, polls: this.current.polls + 1 };
    if (changed) {
      const mode = reading.mode ?? undefined;
      const moves = changesStation(this.service.status(), frequency, mode);
      if (moves) await this.service.setFrequency(frequency, mode);
      this.update({ error: null, ...(moves && { last_change_at: now, changes: this.current.changes + 1 }) });
    } else if (this.current.error !== null) {
      this.update({ error: null });
    }
    this.emit('polled');
    return key;
  }

  private update(changes: Partial<RigStatus>): void {
    this.current = { ...this.current, ...changes };
    this.emit('changed');
  }
}
