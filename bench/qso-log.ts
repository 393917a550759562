/**
 * Writes a `log.db` the way Pileup's store leaves it after a compaction: one NeDB JSON line per
 * QSO (`_id` = `qso_id`, then the `logEntrySchema` fields), then the `ended_at` index line.
 */
import { writeFile } from 'node:fs/promises';
import type { LogEntry } from '../server/protocol/entities.js';
import { callsignFor } from './callsigns.js';

const FIRST_QSO_MS = Date.UTC(2024, 0, 1, 0, 0, 0);
const QSO_SPACING_MS = 45_000;
const BANDS = ['3.650', '7.150', '14.205', '21.250', '28.450'];
const MODES = ['SSB', 'CW', 'FT8'];
const SOURCES = ['queue', 'queue_specific', 'logging_software', 'direct'];

function entryFor(index: number): LogEntry {
  const startedMs = FIRST_QSO_MS + index * QSO_SPACING_MS;
  return {
    // The server's shape: base-36 start time + 10 hex digits.
    qso_id: `${startedMs.toString(36).padStart(9, '0')}${index.toString(16).padStart(10, '0')}`,
    callsign: callsignFor(index),
    started_at: new Date(startedMs).toISOString(),
    ended_at: new Date(startedMs + 30_000).toISOString(),
    source: SOURCES[index % SOURCES.length] ?? 'queue',
    frequency: BANDS[index % BANDS.length] ?? '14.205',
    mode: MODES[index % MODES.length] ?? 'SSB',
    rst_sent: '59',
    rst_received: '57',
  };
}

/** Writes `count` QSOs to `file`; returns its size in bytes. */
export async function writeQsoLog(file: string, count: number): Promise<number> {
  const lines: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const entry = entryFor(i);
    lines.push(JSON.stringify({ _id: entry.qso_id, ...entry }));
  }
  lines.push(JSON.stringify({ $$indexCreated: { fieldName: 'ended_at', unique: false, sparse: false } }));
  const text = `${lines.join('\n')}\n`;
  await writeFile(file, text, 'utf8');
  return Buffer.byteLength(text);
}
