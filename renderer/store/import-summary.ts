/**
 * An ADIF import's answer in plain words for the console's notice: how many QSOs came in, how
 * many records repeated a QSO of the same file, and each reason records were skipped (with the
 * first such record's number, so the operator can find it in the file).
 */
import type { ReplyData } from '../../server/protocol/reply-data.js';

const count = (n: number, noun: string) => `${n.toLocaleString('en')} ${noun}${n === 1 ? '' : 's'}`;

export function importSummary({ imported, repeated, skipped_reasons }: ReplyData<'admin_import_adif'>): string {
  const lines = [`Imported ${count(imported, 'QSO')} into the log.`];
  if (repeated > 0) lines.push(`${count(repeated, 'record')} repeated a QSO of the file and counted once.`);
  for (const { reason, count: n, first_record, text } of skipped_reasons) {
    if (first_record === null) lines.push(`Skipped ${reason}${text === undefined ? '' : `: ${text}`}.`);
    else lines.push(`Skipped ${count(n, 'record')}: ${reason} (first: record ${first_record.toLocaleString('en')}).`);
  }
  return lines.join(' ');
}
