/**
 * N1MM Logger+ (and loggers that speak its XML) → the core, doing to the log what N1MM did to its own:
 * - contactinfo logs the QSO through `PileupService.sendQso`, like `admin_send_qso` (the caller
 *   leaves the queue, the QSO is current); the same contact broadcast again is not logged twice.
 * - contactreplace corrects the entry; a replace of a contact we do not have adds it to the log.
 * - contactdelete removes the entry. An edit is sent as a delete followed by a replace: a
 *   delete waits a moment (EDIT_WINDOW_MS) for its replace, and the pair is one change to the
 *   log. Neither replaces nor deletes touch the queue or the current QSO.
 * - lookupinfo (the call typed in the Entry Window) is the call being worked (logger-call.ts).
 * - RadioInfo sets the station's frequency and mode when they changed (only the latest waiting
 *   RadioInfo is applied).
 * Contacts are identified as n1mm-contacts.ts says. A plain ADIF record on this port (WSJT-X's
 * "N1MM Logger+" broadcast) is handed to the WSJT-X bridge, which logs it as WSJT-X's own.
 */
import { randomUUID } from 'node:crypto';
import type { PileupService } from '../core/pileup-service.js';
import { changesStation } from '../ham/frequency.js';
import { reportedFields, toLogEntry } from '../ham/log-entry.js';
import { normalizeMode } from '../ham/mode.js';
import { normalizeCallsign } from '../protocol/callsign.js';
import type { LogEntry } from '../protocol/entities.js';
import { isSaneTimestamp, TIMESTAMP_RANGE_PROBLEM } from '../protocol/timestamp.js';
import type { Clock } from '../time/clock.js';
import type { LoggerCalls } from './logger-call.js';
import { contactQsoId, deletedEntry, replacedQsoId } from './n1mm-contacts.js';
import { type N1mmContact, type N1mmDelete, parseN1mmDatagram } from './n1mm-messages.js';
import type { DatagramJob, DatagramOutcome } from './udp-listener.js';
import { MalformedDatagramError } from './wsjtx-messages.js';

export const N1MM_SOURCE = 'n1mm';
/** N1MM sends an edit's replace within milliseconds of its delete (0.03–1 s in a real contest capture). */
export const EDIT_WINDOW_MS = 2000;

/** A plain ADIF record rather than XML: what WSJT-X's "N1MM Logger+" broadcast sends. */
function looksLikeAdif(datagram: Buffer): boolean {
  const text = datagram.toString('latin1');
  return /<call:\d+/i.test(text) && /<eor>/i.test(text);
}

function details(contact: N1mmContact) {
  const frequency = contact.txfreq ?? contact.rxfreq;
  const { mode } = contact;
  return {
    ...(frequency !== undefined && { frequency }),
    ...(mode !== undefined && { mode }),
    ...(contact.snt !== undefined && contact.snt !== '' && { rst_sent: contact.snt }),
    ...(contact.rcv !== undefined && contact.rcv !== '' && { rst_received: contact.rcv }),
    ...(contact.timestamp !== undefined && { timestamp: contact.timestamp }),
  };
}

/** What an entry keeps through a correction: the band only while no frequency says otherwise. */
function keptFields(entry: LogEntry, frequency: string | undefined) {
  const { band, ...kept } = reportedFields(entry);
  return { ...kept, ...(frequency === undefined && kept.frequency === undefined && band !== undefined && { band }) };
}

/** N1MM has one time per contact: an entry that had one moves with it; a longer QSO keeps its start. */
function startedAt(entry: LogEntry | undefined, endedAt: string): string {
  if (entry === undefined || entry.started_at === entry.ended_at || Date.parse(entry.started_at) > Date.parse(endedAt)) return endedAt;
  return entry.started_at;
}

interface PendingDelete {
  contact: N1mmDelete;
  timer: NodeJS.Timeout;
}

export interface N1mmBridgeOptions {
  /** How long a delete waits for the replace of an edit. */
  editWindowMs?: number;
  /** Decodes a plain ADIF datagram (the WSJT-X bridge's Logged ADIF). */
  adif?: (datagram: Buffer) => DatagramJob;
  calls?: LoggerCalls;
}

export class N1mmBridge {
  private pending: PendingDelete | null = null;
  private readonly editWindowMs: number;

  constructor(
    private readonly service: PileupService,
    private readonly clock: Clock,
    private readonly options: N1mmBridgeOptions = {},
  ) {
    this.editWindowMs = options.editWindowMs ?? EDIT_WINDOW_MS;
  }

  readonly decode = (datagram: Buffer): DatagramJob => {
    if (this.options.adif !== undefined && looksLikeAdif(datagram)) return this.options.adif(datagram);
    const message = parseN1mmDatagram(datagram);
    switch (message.type) {
      case 'contactinfo': {
        const { contact } = message;
        const qsoId = contactQsoId(contact);
        return this.afterPendingDelete(async () => {
          const logged = qsoId === undefined ? undefined : this.service.log.get(qsoId);
          if (logged !== undefined) return { kind: 'contactinfo', summary: `${logged.callsign} (already logged)` };
          const result = await this.service.sendQso(contact.call, details(contact), {
            source: N1MM_SOURCE,
            ...(qsoId !== undefined && { qsoId }),
          });
          return { kind: 'contactinfo', summary: `${result.callsign} logged` };
        });
      }
      case 'contactreplace': {
        const entry = this.replacement(message.contact);
        return { run: () => this.replace(entry, message.contact) };
      }
      case 'contactdelete': {
        const { contact } = message;
        return this.afterPendingDelete(() => {
          // Once the window is over, datagrams already waiting in the socket are read first
          // (setImmediate runs after the poll phase): a replace among them still makes an edit.
          const expire = () => setImmediate(() => void this.deleteAlone().catch(() => undefined));
          this.pending = { contact, timer: setTimeout(expire, this.editWindowMs) };
          this.pending.timer.unref();
          const entry = deletedEntry(contact, (id) => this.service.log.get(id));
          const call = entry?.callsign ?? contact.call ?? contact.id ?? '';
          return Promise.resolve({ kind: 'contactdelete', summary: entry === undefined ? `${call} not in the log` : `${call} deleted` });
        });
      }
      case 'lookupinfo': {
        const { call } = message;
        return {
          coalesce: 'lookupinfo',
          run: async () => {
            const reported = await this.options.calls?.report('n1mm', call);
            return { kind: 'lookupinfo', summary: reported ?? (call === '' ? 'entry window cleared' : call) };
          },
        };
      }
      case 'radioinfo': {
        const { frequency, mode, focused } = message;
        if (frequency === undefined) throw new MalformedDatagramError('RadioInfo without a frequency');
        const upper = normalizeMode(mode);
        const summary = `${frequency} MHz${upper === undefined ? '' : ` ${upper}`}`;
        return {
          // With two radios each reports its own state: the latest of each stands.
          coalesce: `radio:${focused ? 'focused' : 'other'}`,
          run: async () => {
            if (focused && changesStation(this.service.status(), frequency, mode)) await this.service.setFrequency(frequency, mode);
            return { kind: 'RadioInfo', summary };
          },
        };
      }
      case 'other': {
        const outcome = { kind: message.root, summary: 'not used' };
        return { coalesce: 'other', run: () => Promise.resolve(outcome) };
      }
    }
  };

  /** Applies a delete still waiting for its replace; the bridges call it before closing. */
  async flush(): Promise<void> {
    await this.deleteAlone();
  }

  /** Any datagram but a replace ends the wait of a delete: it was no edit, and is applied first. */
  private afterPendingDelete(run: () => Promise<DatagramOutcome>): DatagramJob {
    return {
      run: async () => {
        await this.deleteAlone();
        return run();
      },
    };
  }

  private async deleteAlone(): Promise<void> {
    const pending = this.takePending();
    if (pending === null) return;
    const entry = deletedEntry(pending, (id) => this.service.log.get(id));
    if (entry !== undefined) await this.service.deleteLogged([entry.qso_id]);
  }

  private takePending(): N1mmDelete | null {
    const { pending } = this;
    if (pending === null) return null;
    clearTimeout(pending.timer);
    this.pending = null;
    return pending.contact;
  }

  /** Checked as the datagram arrives, so a bad replace is ignored before it ends a delete's wait. */
  private replacement(contact: N1mmContact): { callsign: string; qsoId: string | undefined } {
    const callsign = normalizeCallsign(contact.call);
    if (callsign === null) throw new MalformedDatagramError(`invalid callsign ${JSON.stringify(contact.call)}`);
    if (contact.timestamp !== undefined && !isSaneTimestamp(Date.parse(contact.timestamp), this.clock())) {
      throw new MalformedDatagramError(`contactreplace timestamp ${TIMESTAMP_RANGE_PROBLEM}`);
    }
    return { callsign, qsoId: contactQsoId(contact) };
  }

  /**
   * The logger corrected a contact (after a delete: an edit, which may have changed its call or
   * time). The entry it names — or the one just deleted, or the one it had before the edit — takes
   * the corrected fields; one we never had is added. The pileup state is not touched.
   */
  private async replace({ callsign, qsoId }: { callsign: string; qsoId: string | undefined }, contact: N1mmContact): Promise<DatagramOutcome> {
    const deleted = this.takePending();
    const lookup = (id: string | undefined) => (id === undefined ? undefined : this.service.log.get(id));
    const removed = deleted === null ? undefined : deletedEntry(deleted, lookup);
    const current = lookup(qsoId) ?? lookup(replacedQsoId(contact)) ?? removed;
    const { timestamp, ...fields } = details(contact);
    const endedAt = timestamp ?? current?.ended_at ?? new Date(this.clock()).toISOString();
    const entry = toLogEntry({
      ...(current === undefined ? { source: N1MM_SOURCE } : keptFields(current, fields.frequency)),
      ...fields,
      callsign,
      qso_id: qsoId ?? current?.qso_id ?? `n1mm-${randomUUID()}`,
      started_at: startedAt(current, endedAt),
      ended_at: endedAt,
    });
    const superseded = [removed, current].flatMap((old) => (old === undefined || old.qso_id === entry.qso_id ? [] : [old.qso_id]));
    await this.service.putLogged([entry], [...new Set(superseded)]);
    const what = current === undefined ? 'added to the log' : 'corrected';
    return { kind: 'contactreplace', summary: `${callsign} ${what}` };
  }

}
