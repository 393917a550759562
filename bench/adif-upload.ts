/**
 * A big ADIF upload and what it does to the server: the file (generated, WSJT-X-style records,
 * some of them repeated byte for byte), POSTed to `/api/log.adi` while another client pings, and
 * the figures: how long the import took, the longest a ping waited, and the server's peak
 * resident memory. Shared by the test (tests/cli/big-import.test.ts) and the benchmark.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { WebSocket } from 'ws';
import { now } from './timing.js';

export interface GeneratedAdif {
  chunks: Buffer[];
  bytes: number;
  records: number;
  /** Records that repeat an earlier record of the file byte for byte. */
  repeated: number;
}

const CALLSIGN_POOL = 5_000;
const MODES = ['<mode:3>FT8', '<mode:4>MFSK <submode:3>FT4', '<mode:2>CW', '<mode:3>SSB <submode:3>USB'] as const;
const BANDS = [
  ['20m', '14.074'],
  ['40m', '7.074'],
  ['15m', '21.074'],
] as const;

/** A callsign of the pool: two letters, a digit, three letters. */
function callsign(index: number): string {
  const letter = (n: number) => String.fromCharCode(65 + (n % 26));
  return `${letter(index / 26 ** 3)}${letter(index / 26 ** 2)}${index % 10}${letter(index / 26)}${letter(index)}${letter(index * 7)}`;
}

function field(name: string, value: string): string {
  return `<${name}:${value.length}>${value} `;
}

/** One record, `index` seconds × 7 after 2024-01-01 (so one call's QSOs are hours apart). */
function record(index: number): string {
  const at = new Date(Date.UTC(2024, 0, 1) + index * 7_000).toISOString();
  const [band, freq] = BANDS[index % BANDS.length] ?? BANDS[0];
  const mode = MODES[index % MODES.length] ?? MODES[0];
  return (
    field('call', callsign(index % CALLSIGN_POOL)) +
    field('gridsquare', 'JO31') +
    `${mode} ` +
    field('rst_sent', '-10') +
    field('rst_rcvd', '-12') +
    field('qso_date', at.slice(0, 10).replaceAll('-', '')) +
    field('time_on', at.slice(11, 19).replaceAll(':', '')) +
    field('band', band) +
    field('freq', freq) +
    field('station_callsign', 'DL1PB') +
    field('my_gridsquare', 'JO31LK') +
    field('comment', `generated record ${index}`) +
    '<eor>\n'
  );
}

/**
 * About `targetBytes` of ADIF: a WSJT-X header, then records cycling through `distinct` different
 * QSOs, so every record after the first `distinct` repeats an earlier one byte for byte (an
 * upload that contains QSOs more than once); `distinct: Infinity` makes every record a QSO of its own.
 */
export function generateAdif(targetBytes: number, distinct: number): GeneratedAdif {
  const chunks: Buffer[] = [Buffer.from('WSJT-X ADIF Export\n<adif_ver:5>3.1.1\n<programid:6>WSJT-X\n<eoh>\n')];
  let bytes = chunks[0]?.length ?? 0;
  let records = 0;
  let piece: string[] = [];
  while (bytes < targetBytes) {
    const text = record(records % distinct);
    piece.push(text);
    bytes += text.length;
    records += 1;
    if (piece.length === 2_000) {
      chunks.push(Buffer.from(piece.join('')));
      piece = [];
    }
  }
  chunks.push(Buffer.from(piece.join('')));
  return { chunks, bytes, records, repeated: Math.max(0, records - distinct) };
}

/** Peak resident memory (`VmHWM`) of `pid` so far, in KiB. */
export function peakRssKiB(pid: number): number {
  const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match?.[1]) throw new Error(`no VmHWM in /proc/${pid}/status`);
  return Number(match[1]);
}

export interface UploadFigures {
  status: number;
  body: string;
  durationMs: number;
  /** Round trips of the pings sent while the upload ran, in ms. */
  pings: number[];
  /** Pings still unanswered when the import's answer arrived. */
  pingsOutstanding: number;
}

/** POSTs `file` to the server at `wsUrl` with `token`, pinging over a second connection meanwhile. */
export async function uploadWhilePinging(wsUrl: string, token: string, file: GeneratedAdif, pingEveryMs = 20): Promise<UploadFigures> {
  const { hostname, port } = new URL(wsUrl);
  const ws = new WebSocket(wsUrl);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const sentAt = new Map<string, number>();
  const pings: number[] = [];
  ws.on('message', (data) => {
    const { request_id: id } = JSON.parse(data.toString()) as { request_id?: string };
    const at = id === undefined ? undefined : sentAt.get(id);
    if (id === undefined || at === undefined) return;
    sentAt.delete(id);
    pings.push(now() - at);
  });
  let counter = 0;
  const ping = () => {
    const id = `ping-${counter++}`;
    sentAt.set(id, now());
    ws.send(JSON.stringify({ type: 'ping', request_id: id }));
  };
  // One ping at a time: the next goes out once the last is answered (or the interval passes).
  const timer = setInterval(() => {
    if (sentAt.size === 0) ping();
  }, pingEveryMs);
  const started = now();
  try {
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(
        {
          host: hostname,
          port: Number(port),
          path: '/api/log.adi',
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain', 'content-length': String(file.chunks.reduce((sum, chunk) => sum + chunk.length, 0)) },
        },
        (res) => {
          const parts: Buffer[] = [];
          res.on('data', (chunk: Buffer) => parts.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts).toString('utf8') }));
        },
      );
      req.on('error', reject);
      void (async () => {
        for (const chunk of file.chunks) {
          if (!req.write(chunk)) await new Promise<void>((drained) => req.once('drain', () => drained()));
        }
        req.end();
      })();
    });
    return { status, body, durationMs: now() - started, pings, pingsOutstanding: sentAt.size };
  } finally {
    clearInterval(timer);
    ws.close();
  }
}
