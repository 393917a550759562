/**
 * The WSJT-X UDP messages Pileup Buster uses, decoded from one datagram. The layout is WSJT-X's
 * Network/NetworkMessage.hpp (JTDX and other forks send the same): a header of magic 0xADBCCBDA,
 * schema number (2 or 3) and message type, the sender's id, then the type's fields in order.
 * Newer versions append fields at the end, so anything after the fields we read is ignored.
 */
import { QDataStreamReader } from './qdatastream.js';

export const WSJTX_MAGIC = 0xadbccbda;
/** Schemas 2 (WSJT-X 1.x–2.x over Qt 5.0+) and 3 (Qt 5.4+) encode our fields alike. */
const SUPPORTED_SCHEMAS = new Set([2, 3]);

export const WsjtxType = { Heartbeat: 0, Status: 1, QsoLogged: 5, Close: 6, LoggedAdif: 12 } as const;

export interface WsjtxStatus {
  type: 'status';
  id: string;
  dialFrequencyHz: number;
  mode: string;
  dxCall: string;
}

export interface WsjtxQsoLogged {
  type: 'qso_logged';
  id: string;
  /** Epoch ms, UTC. */
  timeOff: number | null;
  dxCall: string;
  dxGrid: string;
  txFrequencyHz: number;
  mode: string;
  reportSent: string;
  reportReceived: string;
  timeOn: number | null;
}

export interface WsjtxLoggedAdif {
  type: 'logged_adif';
  id: string;
  adif: string;
}

/** A well-formed message of a type we do not act on (heartbeat, decode, clear, …). */
export interface WsjtxOther {
  type: 'other';
  id: string;
  messageType: number;
}

export type WsjtxMessage = WsjtxStatus | WsjtxQsoLogged | WsjtxLoggedAdif | WsjtxOther;

export class MalformedDatagramError extends Error {}

/** Decodes one datagram; throws MalformedDatagramError or TruncatedError for anything else. */
export function parseWsjtxDatagram(datagram: Buffer): WsjtxMessage {
  const stream = new QDataStreamReader(datagram);
  const magic = stream.u32();
  if (magic !== WSJTX_MAGIC) throw new MalformedDatagramError(`wrong magic 0x${magic.toString(16)}`);
  const schema = stream.u32();
  if (!SUPPORTED_SCHEMAS.has(schema)) throw new MalformedDatagramError(`unsupported schema ${schema}`);
  const messageType = stream.u32();
  const id = stream.utf8();
  switch (messageType) {
    case WsjtxType.Status: {
      const dialFrequencyHz = Number(stream.u64());
      const mode = stream.utf8();
      const dxCall = stream.utf8();
      return { type: 'status', id, dialFrequencyHz, mode, dxCall };
    }
    case WsjtxType.QsoLogged: {
      const timeOff = stream.dateTime();
      const dxCall = stream.utf8();
      const dxGrid = stream.utf8();
      const txFrequencyHz = Number(stream.u64());
      const mode = stream.utf8();
      const reportSent = stream.utf8();
      const reportReceived = stream.utf8();
      stream.utf8(); // Tx power
      stream.utf8(); // comments
      stream.utf8(); // name
      const timeOn = stream.dateTime();
      return { type: 'qso_logged', id, timeOff, dxCall, dxGrid, txFrequencyHz, mode, reportSent, reportReceived, timeOn };
    }
    case WsjtxType.LoggedAdif:
      return { type: 'logged_adif', id, adif: stream.utf8() };
    default:
      return { type: 'other', id, messageType };
  }
}
