/**
 * WSJT-X / JTDX → the core. Status sets the station's frequency and mode (only when they
 * changed: Status arrives every few seconds, and only the latest waiting one is applied; one
 * without a dial frequency, as WSJT-X sends while starting, is skipped) and names the DX call
 * being worked (logger-call.ts); QSO Logged and Logged ADIF go through `PileupService.sendQso`,
 * exactly like `admin_send_qso`. WSJT-X sends both of those for one QSO, so the second is
 * recognised and dropped. A Heartbeat is answered as WSJT-X's own UDP servers answer it, so the
 * client negotiates schema 3; every instance heard of is told the queue's highlights
 * (wsjtx-highlight.ts) when they are switched on.
 */
import type { PileupService } from '../core/pileup-service.js';
import { parseAdif } from '../ham/adif.js';
import { changesStation, mhzFromHz } from '../ham/frequency.js';
import { normalizeMode } from '../ham/mode.js';
import { isSaneTimestamp, TIMESTAMP_RANGE_PROBLEM } from '../protocol/timestamp.js';
import { type Clock, isoAt } from '../time/clock.js';
import { SERVER_VERSION } from '../version.js';
import type { LoggerCalls } from './logger-call.js';
import { utf8OrLatin1 } from './qdatastream.js';
import type { DatagramJob, DatagramOutcome, DatagramSender } from './udp-listener.js';
import type { SendDatagram, WsjtxHighlighter } from './wsjtx-highlight.js';
import { heartbeatReply, MalformedDatagramError, parseWsjtxDatagram, WSJTX_MAX_SCHEMA } from './wsjtx-messages.js';

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

  constructor(
    private readonly service: PileupService,
    private readonly clock: Clock,
    private readonly peers: { send: SendDatagram; highlighter?: WsjtxHighlighter; calls?: LoggerCalls } = { send: () => Promise.resolve(false) },
  ) {}

  readonly decode = (datagram: Buffer, sender: DatagramSender): DatagramJob => {
    const message = parseWsjtxDatagram(datagram);
    const { highlighter, calls } = this.peers;
    const seen = (schema = message.schema) => highlighter?.seen(message.id, schema, sender) ?? Promise.resolve();
    switch (message.type) {
      case 'heartbeat': {
        const schema = Math.min(message.maxSchema, WSJTX_MAX_SCHEMA);
        return {
          coalesce: `heartbeat:${message.id}`,
          run: async () => {
            const answered = await this.peers.send(heartbeatReply(message, SERVER_VERSION), sender);
            await seen(schema);
            return { kind: 'Heartbeat', summary: `${message.id || 'unnamed'}, schema ${schema}${answered ? '' : ' (answer not sent)'}` };
          },
        };
      }
      case 'close':
        return {
          run: async () => {
            highlighter?.closed(message.id);
            await calls?.report('wsjtx', '');
            return { kind: 'Close', summary: `${message.id || 'unnamed'} closed` };
          },
        };
      case 'status': {
        const frequency = mhzFromHz(message.dialFrequencyHz);
        const mode = normalizeMode(message.mode);
        const summary = frequency === undefined ? 'no dial frequency yet' : `${frequency} MHz${mode === undefined ? '' : ` ${mode}`}`;
        return {
          coalesce: 'status',
          run: async () => {
            await seen();
            // WSJT-X starts with a dial frequency of 0: nothing to set yet, and nothing wrong.
            if (frequency !== undefined && changesStation(this.service.status(), frequency, mode)) await this.service.setFrequency(frequency, mode);
            const working = await calls?.report('wsjtx', message.dxCall);
            return { kind: 'Status', summary: working === undefined || message.dxCall.trim() === '' ? summary : `${summary} · ${working}` };
          },
        };
      }
      case 'qso_logged': {
        const now = this.clock();
        for (const time of [message.timeOn, message.timeOff]) {
          if (time !== null && !isSaneTimestamp(time, now)) throw new MalformedDatagramError(`QSO Logged time ${TIMESTAMP_RANGE_PROBLEM}`);
        }
        const frequency = mhzFromHz(message.txFrequencyHz);
        const mode = optional(message.mode);
        const rstSent = optional(message.reportSent);
        const rstReceived = optional(message.reportReceived);
        const locator = optional(message.dxGrid);
        const qso: LoggedQso = {
          callsign: message.dxCall,
          ...(locator !== undefined && { locator }),
          ...(frequency !== undefined && { frequency }),
          ...(mode !== undefined && { mode }),
          ...(rstSent !== undefined && { rst_sent: rstSent }),
          ...(rstReceived !== undefined && { rst_received: rstReceived }),
          ...(message.timeOn !== null && { started_at: isoAt(message.timeOn) }),
          ...(message.timeOff !== null && { timestamp: isoAt(message.timeOff) }),
        };
        return { run: async () => ({ kind: 'QSO Logged', summary: await this.log(qso) }) };
      }
      case 'logged_adif':
        return this.loggedAdif(message.adif, 'Logged ADIF');
      case 'other': {
        const outcome = { kind: `type ${message.messageType}`, summary: `from ${message.id || 'unnamed'}` };
        // Decodes, clears and the like change nothing: the latest stands for all of them.
        return {
          coalesce: 'other',
          run: async () => {
            await seen();
            return outcome;
          },
        };
      }
    }
  };

  /**
   * One QSO as WSJT-X writes it in ADIF: its Logged ADIF message, or the plain ADIF text of its
   * "N1MM Logger+" broadcast (which arrives on the N1MM bridge's port, in Latin-1 or UTF-8).
   */
  loggedAdif(adif: string | Buffer, kind: string): DatagramJob {
    const text = typeof adif === 'string' ? adif : utf8OrLatin1(adif);
    // WSJT-X sends one QSO per Logged ADIF: the first is logged, any others are counted and dropped.
    const { entries } = parseAdif(text, { now: this.clock(), source: WSJTX_SOURCE });
    const [first] = entries;
    if (first === undefined) throw new MalformedDatagramError('Logged ADIF without a usable QSO');
    const { callsign, frequency, mode, rst_sent, rst_received, started_at, ended_at } = first;
    const qso: LoggedQso = {
      callsign,
      started_at,
      timestamp: ended_at,
      ...(frequency !== undefined && { frequency }),
      ...(mode !== undefined && { mode }),
      ...(rst_sent !== undefined && { rst_sent }),
      ...(rst_received !== undefined && { rst_received }),
    };
    const extraQsos = entries.length - 1;
    return {
      run: async (): Promise<DatagramOutcome> => ({
        kind,
        summary: `${await this.log(qso)}${extraQsos > 0 ? ` (${extraQsos} more QSOs in the datagram dropped)` : ''}`,
        extraQsos,
      }),
    };
  }

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
