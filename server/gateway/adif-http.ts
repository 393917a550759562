/**
 * `GET /api/log.adi` streams the QSO log as an ADIF file; `POST /api/log.adi` imports one. Both
 * need `Authorization: Bearer <session_token>` (401 without a valid one); a token is never read
 * from the URL. The export is piped with backpressure, and the import reads the body as it
 * arrives, so memory stays flat for any log size.
 */
import type http from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Sessions } from '../auth/sessions.js';
import type { Clock } from '../time/clock.js';
import type { PileupService } from '../core/pileup-service.js';
import { ADIF_PATH } from '../protocol/endpoints.js';
import { ProtocolError } from '../protocol/errors.js';
import { MAX_ADIF_IMPORT_CHARS } from '../protocol/requests.js';
import { adifFileName } from '../ham/adif.js';
import { exportChunks, importAdif } from '../core/log-transfer.js';

interface AdifHttpContext {
  service: PileupService;
  sessions: Sessions;
  clock: Clock;
}

function json(res: http.ServerResponse, status: number, body: object, headers: http.OutgoingHttpHeaders = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

function bearerToken(req: http.IncomingMessage): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return match?.[1];
}

/** The body as text, piece by piece as it arrives (a UTF-8 character split between pieces is kept whole). */
async function* bodyText(req: http.IncomingMessage): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of req as AsyncIterable<Buffer>) yield decoder.decode(chunk, { stream: true });
  const rest = decoder.decode();
  if (rest !== '') yield rest;
}

/**
 * Answers the request when it is for the ADIF endpoint (the promise settles once it is answered;
 * the gateway's guard answers whatever it throws); returns undefined to let others try.
 */
export function serveLogAdif(req: http.IncomingMessage, res: http.ServerResponse, pathname: string, context: AdifHttpContext): Promise<void> | undefined {
  if (pathname !== ADIF_PATH) return undefined;
  if (req.method !== 'GET' && req.method !== 'POST') {
    json(res, 405, { error: 'use GET to export or POST to import' }, { allow: 'GET, POST' });
    return Promise.resolve();
  }
  const token = bearerToken(req);
  if (token === undefined || context.sessions.check(token) !== 'valid') {
    json(res, 401, { error: 'send Authorization: Bearer <session_token>' }, { 'www-authenticate': 'Bearer' });
    return Promise.resolve();
  }
  return req.method === 'GET' ? exportLog(res, context) : importLog(req, res, context);
}

async function exportLog(res: http.ServerResponse, { service, clock }: AdifHttpContext): Promise<void> {
  const createdAt = new Date(clock());
  res.writeHead(200, {
    'content-type': 'application/octet-stream',
    'content-disposition': `attachment; filename="${adifFileName(createdAt)}"`,
    'cache-control': 'no-store',
  });
  await pipeline(Readable.from(exportChunks(service, createdAt)), res);
}

/**
 * The body is imported as it arrives, so its size must be known before the first record is
 * stored: a file too large is refused whole, never half imported.
 */
async function importLog(req: http.IncomingMessage, res: http.ServerResponse, { service, clock }: AdifHttpContext): Promise<void> {
  const length = req.headers['content-length'];
  if (length === undefined) {
    json(res, 411, { error: 'send the file with a Content-Length' });
    return;
  }
  if (Number(length) > MAX_ADIF_IMPORT_CHARS) {
    json(res, 413, { error: 'the file is too large' });
    return;
  }
  try {
    json(res, 200, await importAdif(service, bodyText(req), clock()));
  } catch (error) {
    if (!(error instanceof ProtocolError)) throw error;
    json(res, 400, { error: error.message });
  }
}
