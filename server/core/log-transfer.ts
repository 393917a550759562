/**
 * ADIF export and import of the QSO log, shared by the admin WebSocket messages and the
 * authenticated HTTP endpoint, so both follow the same rules.
 */
import type { PileupService } from './pileup-service.js';
import { ErrorCode, ProtocolError } from '../protocol/errors.js';
import { setImmediate } from 'node:timers/promises';
import type { LogEntry } from '../protocol/entities.js';
import type { ReplyData } from '../protocol/reply-data.js';
import { SERVER_VERSION } from '../version.js';
import { AdifImport, adifChunks, adifFileName, SKIP_REASONS } from '../ham/adif.js';

export interface AdifExport {
  file_name: string;
  count: number;
  adif: string;
}

/** The log as chunks of one `.adi` file, oldest first. */
export function exportChunks(service: PileupService, createdAt: Date): Iterable<string> {
  return adifChunks(service.log.chronological(), SERVER_VERSION, createdAt);
}

/** The whole log as one `.adi` text (for the admin message; HTTP streams `exportChunks`). */
export function exportAdif(service: PileupService, createdAt: Date): AdifExport {
  const chunks = [...exportChunks(service, createdAt)];
  return { file_name: adifFileName(createdAt), count: service.log.size, adif: chunks.join('') };
}

/** Records stored per write. */
const IMPORT_BATCH = 500;
/**
 * Text is read in pieces of at most this many characters, whether it came whole (WebSocket, IPC)
 * or in the reads of an HTTP body (up to 64 KiB each): ~18 WSJT-X records. After each piece, and
 * after each write, every other request runs. Pieces of 16 KiB kept a ping waiting 55–115 ms
 * while the parser and the schema were not yet warm (`npm run bench -- ADIF`); these, 35–48 ms.
 */
const TEXT_PIECE = 4 * 1024;

function* pieces(text: string): Generator<string> {
  for (let at = 0; at < text.length; at += TEXT_PIECE) yield text.slice(at, at + TEXT_PIECE);
}

/**
 * Seeds the log from an `.adi` file, read piece by piece as it arrives (an HTTP body) or from a
 * whole text: records are stored in batches with a turn of the event loop between them, so a
 * 60 MB file neither sits in memory whole nor keeps anyone else waiting. A record with the id of
 * one already logged replaces it; one that is the same QSO as a logged one is merged into it
 * (qso-log.ts), so identical records count once. `now`: the server's clock.
 */
export async function importAdif(
  service: PileupService,
  source: string | AsyncIterable<string>,
  now: number,
): Promise<ReplyData<'admin_import_adif'>> {
  const reader = new AdifImport({ now });
  const logged = new Set<string>();
  let records = 0;
  let batch: LogEntry[] = [];
  const store = async () => {
    for (const id of await service.putLogged(batch)) logged.add(id);
    records += batch.length;
    batch = [];
    await setImmediate();
  };
  for await (const text of typeof source === 'string' ? [source] : source) {
    for (const piece of pieces(text)) {
      for (const entry of reader.push(piece)) {
        batch.push(entry);
        if (batch.length >= IMPORT_BATCH) await store();
      }
      await setImmediate();
    }
  }
  const skipped = reader.end();
  if (reader.recordCount === 0) {
    throw new ProtocolError(ErrorCode.INVALID_REQUEST, 'No QSO in this file: it has no ADIF record (no <EOR>)', {
      issues: skipped.map(({ reason }) => ({ field: 'adif', problem: SKIP_REASONS[reason] })),
    });
  }
  if (batch.length > 0) await store();
  return {
    imported: logged.size,
    repeated: records - logged.size + reader.repeatCount,
    skipped: skipped.reduce((sum, { reason, count }) => (reason === 'trailing' ? sum : sum + count), 0),
    skipped_reasons: skipped.map(({ reason, count, first_record, text }) => ({
      reason: SKIP_REASONS[reason],
      count,
      first_record,
      ...(text !== undefined && { text }),
    })),
    total: service.log.size,
  };
}
