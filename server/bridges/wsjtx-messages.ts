/**
 * The WSJT-X UDP messages Pileup Buster uses, decoded from one datagram. The layout is WSJT-X's
 * Network/NetworkMessage.hpp (JTDX and other forks send the same): a header of magic 0xADBCCBDA,
 * schema number (2 or 3) and message type, the sender's id, then the type's fields in order.
 * Newer versions append fields at the end, so anything after the fields we read is ignored.
 */
import { QDataStreamReader, QDataStreamWriter } from './qdatastream.js';

export const WSJTX_MAGIC = 0xadbccbda;
/** Schemas 2 (WSJT-X 1.x–2.x over Qt 5.0+) and 3 (Qt 5.4+) encode our fields alike. */
const SUPPORTED_SCHEMAS = new Set([2, 3]);
/** The newest schema we speak; a client that can do more is answered with this one. */
export const WSJTX_MAX_SCHEMA = 3;

export const WsjtxType = { Heartbeat: 0, Status: 1, QsoLogged: 5, Close: 6, LoggedAdif: 12, HighlightCallsign: 13 } as const;

/** Every message carries its sender's id and the schema it was written in. */
interface Envelope {
  id: string;
  schema: number;
}

export interface WsjtxHeartbeat extends Envelope {
  type: 'heartbeat';
  maxSchema: number;
}

export interface WsjtxClose extends Envelope {
  type: 'close';
}

export interface WsjtxStatus extends Envelope {
  type: 'status';
  dialFrequencyHz: number;
  mode: string;
  dxCall: string;
}

export interface WsjtxQsoLogged extends Envelope {
  type: 'qso_logged';
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

export interface WsjtxLoggedAdif extends Envelope {
  type: 'logged_adif';
  adif: string;
}

/** A well-formed message of a type we do not act on (heartbeat, decode, clear, …). */
export interface WsjtxOther extends Envelope {
  type: 'other';
  messageType: number;
}

export type WsjtxMessage = WsjtxHeartbeat | WsjtxClose | WsjtxStatus | WsjtxQsoLogged | WsjtxLoggedAdif | WsjtxOther;

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
    case WsjtxType.Heartbeat:
      return { type: 'heartbeat', id, schema, maxSchema: stream.u32() };
    case WsjtxType.Close:
      return { type: 'close', id, schema };
    case WsjtxType.Status: {
      const dialFrequencyHz = Number(stream.u64());
      const mode = stream.utf8();
      const dxCall = stream.utf8();
      return { type: 'status', id, schema, dialFrequencyHz, mode, dxCall };
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
      return { type: 'qso_logged', id, schema, timeOff, dxCall, dxGrid, txFrequencyHz, mode, reportSent, reportReceived, timeOn };
    }
    case WsjtxType.LoggedAdif:
      return { type: 'logged_adif', id, schema, adif: stream.utf8() };
    default:
      return { type: 'other', id, schema, messageType };
  }
}

function header(schema: number, type: number, id: string): QDataStreamWriter {
  return new QDataStreamWriter().u32(WSJTX_MAGIC).u32(schema).u32(type).utf8(id);
}

/**
 * The answer a UDP server gives a client's Heartbeat: the client's id, written in the schema
 * both can speak, carrying the newest schema we speak — so WSJT-X moves up to schema 3.
 */
export function heartbeatReply(to: WsjtxHeartbeat, version: string): Buffer {
  const schema = Math.min(to.maxSchema, WSJTX_MAX_SCHEMA);
  return header(schema, WsjtxType.Heartbeat, to.id).u32(WSJTX_MAX_SCHEMA).utf8(version).utf8('').build();
}

export type Rgb = readonly [number, number, number];

/** Highlight Callsign (13): colours a call in WSJT-X's decode windows; null colours clear it. */
export function highlightCallsign(client: Envelope, callsign: string, colors: { background: Rgb; foreground: Rgb } | null): Buffer {
  return header(client.schema, WsjtxType.HighlightCallsign, client.id)
    .utf8(callsign)
    .color(colors?.background ?? null)
    .color(colors?.foreground ?? null)
    .bool(false)
    .build();
}
