/**
 * The one guard around every HTTP request and WebSocket upgrade: nothing thrown while handling
 * one of them (synchronously or by the promise it returns) can end the process. The target is
 * parsed once here and handed to the handler; a target that is not a URL path gets 400, an
 * absurdly long one 414. A thrown ClientError, or a URIError from decoding what the client sent,
 * is the client's mistake and gets its 4xx; a connection the client reset or abandoned is closed
 * quietly; anything else is ours: 500, reported once through `onUnexpected`, and the server keeps
 * serving.
 */
import { type IncomingMessage, type ServerResponse, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { parseRequestTarget, type RequestTarget } from './request-target.js';

/** A mistake in the request itself, answered with `status` and never reported as ours. */
export class ClientError extends Error {
  constructor(
    readonly status: 400 | 404 | 405 | 413 | 414,
    message: string,
  ) {
    super(message);
    this.name = 'ClientError';
  }
}

export type RequestHandler = (req: IncomingMessage, res: ServerResponse, target: RequestTarget) => Promise<void> | void;
export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer, target: RequestTarget) => void;

interface Failure {
  status: number;
  text: string;
}

/**
 * What a network client does to its own connection: resets it, cancels a download
 * (ERR_STREAM_PREMATURE_CLOSE), abandons an upload. Nothing is left to answer and nothing of
 * ours went wrong, so it is neither answered nor reported (no stack trace per cancelled download).
 */
const CONNECTION_GONE = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ERR_STREAM_PREMATURE_CLOSE', 'ERR_STREAM_DESTROYED']);

export function isConnectionGone(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null | undefined)?.code;
  return typeof code === 'string' && CONNECTION_GONE.has(code);
}

/** The answer to a failure, or null when the connection is gone. */
function failureFor(error: unknown, onUnexpected: (error: unknown) => void): Failure | null {
  if (error instanceof ClientError) return { status: error.status, text: error.message };
  if (error instanceof URIError) return { status: 400, text: 'The request is not correctly encoded.' };
  if (isConnectionGone(error)) return null;
  onUnexpected(error);
  return { status: 500, text: 'Internal server error.' };
}

function answer(res: ServerResponse, failure: Failure | null): void {
  // Half a response already went out: the client must see it broken, not complete.
  if (failure === null || res.headersSent) {
    res.destroy();
    return;
  }
  const { status, text } = failure;
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', connection: 'close' });
  res.end(`${text}\n`);
}

/** A raw HTTP answer on a socket that was to be upgraded. */
export function refuseUpgrade(socket: Duplex, status: number, text = ''): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\nConnection: close\r\n\r\n${text}`);
}

export function guardRequests(handle: RequestHandler, onUnexpected: (error: unknown) => void): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const parsed = parseRequestTarget(req.url);
    if (!parsed.ok) {
      answer(res, { status: parsed.status, text: parsed.reason });
      return;
    }
    try {
      const handling = handle(req, res, parsed.target);
      if (handling !== undefined) handling.catch((error: unknown) => answer(res, failureFor(error, onUnexpected)));
    } catch (error) {
      answer(res, failureFor(error, onUnexpected));
    }
  };
}

export function guardUpgrades(handle: UpgradeHandler, onUnexpected: (error: unknown) => void): (req: IncomingMessage, socket: Duplex, head: Buffer) => void {
  return (req, socket, head) => {
    // Node stops watching an upgraded socket: a reset before `ws` takes it over must not be unhandled.
    socket.on('error', () => socket.destroy());
    const parsed = parseRequestTarget(req.url);
    if (!parsed.ok) {
      refuseUpgrade(socket, parsed.status, `${parsed.reason}\n`);
      return;
    }
    try {
      handle(req, socket, head, parsed.target);
    } catch (error) {
      const failure = failureFor(error, onUnexpected);
      if (failure === null) socket.destroy();
      else refuseUpgrade(socket, failure.status, `${failure.text}\n`);
    }
  };
}
