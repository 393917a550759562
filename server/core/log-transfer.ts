/**
 * ADIF export and import of the QSO log, shared by the admin WebSocket messages and the
 * authenticated HTTP endpoint, so both follow the same rules.
 */
import type { PileupService } from './pileup-service.js';
import { ErrorCode, ProtocolError } from '../protocol/errors.js';
import { summarize } from '../protocol/summary.js';
import { SERVER_VERSION } from '../version.js';
import { adifChunks, adifFileName, parseAdif } from '../ham/adif.js';

export interface AdifImportResult {
  imported: number;
  /** Records without a usable callsign, date or time, or timed outside 1930 … one day from now. */
  skipped: number;
  total: number;
}

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

/** Seeds the log from an `.adi` document; records already imported (same id) are replaced. `now`: the server's clock. */
export async function importAdif(service: PileupService, text: string, now: number): Promise<AdifImportResult> {
  let parsed;
  try {
    parsed = parseAdif(text, { now });
  } catch (error) {
    throw new ProtocolError(ErrorCode.INVALID_REQUEST, `Not an ADIF file: ${summarize((error as Error).message.trim())}`);
  }
  await service.putLogged(parsed.entries);
  return { imported: parsed.entries.length, skipped: parsed.skipped, total: service.log.size };
}
