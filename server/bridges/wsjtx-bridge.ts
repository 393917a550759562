/**
 * WSJT-X / JTDX → the core. Status sets the station's frequency and mode (only when they
 * changed: Status arrives every few seconds); QSO Logged and Logged ADIF go through
 * `PileupService.sendQso`, exactly like `admin_send_qso`. WSJT-X sends both of those for one QSO,
 * so the second is recognised and dropped.
 */
import { isoAt } from '../time/clock.js';
import type { PileupService } from '../core/pileup-service.js';
import { parseAdif } from '../ham/adif.js';
import { mhzFromHz } from '../ham/frequency.js';
import { normalizeMode } from '../ham/mode.js';
import type { DatagramOutcome } from './udp-listener.js';
import { MalformedDatagramError, parseWsjtxDatagram } from './wsjtx-messages.js';

export const WSJTX_SOURCE = 'wsjtx';
/** Enough to recognise the twin of a QSO logged a moment ago. */
const REMEMBERED_QSOS = 64;

interface LoggedQso {
  callsign: string;
  frequency?: string;
  mode?: string;
  rst_sent?: string;
  rst_received?: string;
  started_at?: string;
  timestamp?: string;
  locator?: string;
}

function optional(value: string): string | undefined {
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

export class WsjtxBridge {
  private readonly recent: string[] = [];

  constructor(private readonly service: PileupService) {}

  readonly handle = async (datagram: Buffer): Promise<DatagramOutcome> => {
    const message = parseWsjtxDatagram(datagram);
    switch (message.type) {
      case 'status': {
        const frequency = mhzFromHz(message.dialFrequencyHz);
        const mode = normalizeMode(message.mode);
        if (frequency === undefined) throw new MalformedDatagramError('Status without a dial frequency');
        const { frequency: current, mode: currentMode } = this.service.status();
        if (frequency !== current || (mode !== undefined && mode !== currentMode)) await this.service.setFrequency(frequency, mode);
        return { kind: 'Status', summary: `${frequency} MHz${mode === undefined ? '' : ` ${mode}`}` };
      }
      case 'qso_logged': {
        const frequency = mhzFromHz(message.txFrequencyHz);
        const mode = optional(message.mode);
        const rstSent = optional(message.reportSent);
        const rstReceived = optional(message.reportReceived);
        const locator = optional(message.dxGrid);
        const summary = await this.log({
          callsign: message.dxCall,
          ...(locator !== undefined && { locator }),
          ...(frequency !== undefined && { frequency }),
          ...(mode !== undefined && { mode }),
          ...(rstSent !== undefined && { rst_sent: rstSent }),
          ...(rstReceived !== undefined && { rst_received: rstReceived }),
          ...(message.timeOn !== null && { started_at: isoAt(message.timeOn) }),
          ...(message.timeOff !== null && { timestamp: isoAt(message.timeOff) }),
        });
        return { kind: 'QSO Logged', summary };
      }
      case 'logged_adif': {
        const { entries } = parseAdif(message.adif, WSJTX_SOURCE);
        const summaries: string[] = [];
        for (const entry of entries) {
          const { callsign, frequency, mode, rst_sent, rst_received, started_at, ended_at } = entry;
          summaries.push(
            await this.log({
              callsign,
              started_at,
              timestamp: ended_at,
              ...(frequency !== undefined && { frequency }),
              ...(mode !== undefined && { mode }),
              ...(rst_sent !== undefined && { rst_sent }),
              ...(rst_received !== undefined && { rst_received }),
            }),
          );
        }
        if (summaries.length === 0) throw new MalformedDatagramError('Logged ADIF without a usable QSO');
        return { kind: 'Logged ADIF', summary: summaries.join(', ') };
      }
      case 'other':
        return { kind: `type ${message.messageType}`, summary: `from ${message.id || 'unnamed'}` };
    }
  };

  private async log(qso: LoggedQso): Promise<string> {
    const { callsign, ...details } = qso;
    // The twin of a QSO is the same call at the same start minute.
    const key = `${callsign.trim().toUpperCase()}|${(qso.started_at ?? qso.timestamp ?? '').slice(0, 16)}`;
    if (this.recent.includes(key)) return `${callsign} (already logged)`;
    const result = await this.service.sendQso(callsign, details, { source: WSJTX_SOURCE });
    this.recent.push(key);
    if (this.recent.length > REMEMBERED_QSOS) this.recent.shift();
    return `${result.callsign} logged`;
  }
}
