/**
 * N1MM Logger+ (and loggers that speak its XML) → the core. contactinfo logs the QSO through
 * `PileupService.sendQso`, like `admin_send_qso`; contactreplace corrects that log entry;
 * contactdelete removes it; RadioInfo sets the station's frequency and mode when they changed
 * (only the latest waiting RadioInfo is applied).
 * N1MM's contact id becomes our `qso_id`, so replace and delete find the entry.
 */
import type { PileupService } from '../core/pileup-service.js';
import { changesStation } from '../ham/frequency.js';
import { reportedFields, toLogEntry } from '../ham/log-entry.js';
import { normalizeMode } from '../ham/mode.js';
import { normalizeCallsign } from '../protocol/callsign.js';
import type { LogEntry } from '../protocol/entities.js';
import { isSaneTimestamp, TIMESTAMP_RANGE_PROBLEM } from '../protocol/timestamp.js';
import type { Clock } from '../time/clock.js';
import { type N1mmContact, parseN1mmDatagram } from './n1mm-messages.js';
import type { DatagramJob, DatagramOutcome } from './udp-listener.js';
import { MalformedDatagramError } from './wsjtx-messages.js';

export const N1MM_SOURCE = 'n1mm';

function qsoIdFor(id: string | undefined): string | undefined {
  return id === undefined ? undefined : `n1mm-${id.replace(/[{}]/g, '').toLowerCase()}`;
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

export class N1mmBridge {
  constructor(
    private readonly service: PileupService,
    private readonly clock: Clock,
  ) {}

  readonly decode = (datagram: Buffer): DatagramJob => {
    const message = parseN1mmDatagram(datagram);
    switch (message.type) {
      case 'contactinfo':
      case 'contactreplace': {
        const { contact } = message;
        const qsoId = qsoIdFor(contact.id);
        return {
          run: async () => {
            const logged = qsoId === undefined ? undefined : this.service.log.get(qsoId);
            if (message.type === 'contactreplace' && logged !== undefined) return this.replace(logged, contact);
            if (logged !== undefined) return { kind: message.type, summary: `${logged.callsign} (already logged)` };
            const result = await this.service.sendQso(contact.call, details(contact), {
              source: N1MM_SOURCE,
              ...(qsoId !== undefined && { qsoId }),
            });
            return { kind: message.type, summary: `${result.callsign} logged` };
          },
        };
      }
      case 'contactdelete': {
        const qsoId = qsoIdFor(message.id) as string;
        return {
          run: async () => {
            const logged = this.service.log.get(qsoId);
            if (logged !== undefined) await this.service.deleteLogged([qsoId]);
            return { kind: 'contactdelete', summary: `${logged?.callsign ?? message.call ?? message.id} ${logged ? 'deleted' : 'not in the log'}` };
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

  /** The logger corrected a QSO: the log entry follows; the pileup state is not touched again. */
  private async replace(logged: LogEntry, contact: N1mmContact): Promise<DatagramOutcome> {
    const callsign = normalizeCallsign(contact.call);
    if (callsign === null) throw new MalformedDatagramError(`invalid callsign ${JSON.stringify(contact.call)}`);
    const { timestamp, ...fields } = details(contact);
    if (timestamp !== undefined && !isSaneTimestamp(Date.parse(timestamp), this.clock())) {
      throw new MalformedDatagramError(`contactreplace timestamp ${TIMESTAMP_RANGE_PROBLEM}`);
    }
    // The band follows the corrected frequency; without one the old band stays.
    const { band: oldBand, ...kept } = reportedFields(logged);
    const frequency = fields.frequency ?? kept.frequency;
    await this.service.putLogged([
      toLogEntry({
        ...kept,
        ...fields,
        callsign,
        ...(timestamp !== undefined && { ended_at: timestamp }),
        ...(frequency === undefined && oldBand !== undefined && { band: oldBand }),
      }),
    ]);
    return { kind: 'contactreplace', summary: `${callsign} corrected` };
  }
}
