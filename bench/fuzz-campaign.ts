/**
 * `npm run fuzz -- [--per-category 20000] [--flood-seconds 10] [--http-requests 20000]
 * [--udp-seconds 10] [--seed 1]`: the full fuzz campaign against a server in a child process on
 * 127.0.0.1. Every category of hostile frame from fuzz-inputs.ts, `per-category` frames each,
 * one at a time: each must be answered with an error or a close. Then one client sends 10,000
 * messages a second for `flood-seconds`: every one must be answered, in order. Then
 * `http-requests` hostile HTTP requests from http-fuzz-inputs.ts over raw sockets, 50 at a time,
 * `/health` after each batch: none may earn a 5xx. The state must be unchanged at the end. Last,
 * WSJT-X Status datagrams (alternating between two frequencies) as fast as one socket sends them
 * for `udp-seconds`: what the bridge read, applied and wrote is printed. The server's RSS is
 * printed before, during and after. Bounded in count and time.
 */
import { fork } from 'node:child_process';
import dgram from 'node:dgram';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import fc from 'fast-check';
import { WebSocket } from 'ws';
import { ADMIN_PASSWORD, ADMIN_USERNAME, makeTempDir } from './child-server.js';
import { openSocket, RpcClient } from './client.js';
import { ALL_FUZZ, withToken } from './fuzz-inputs.js';
import { healthStatus, hostileRequest, rawExchange } from './http-fuzz-inputs.js';
import { rssKiB } from './proc.js';
import type { SoakCommand, SoakMessage } from './soak-server.js';
import { askStats } from './soak-stats.js';
import { formatMiB } from './stats.js';
import { now, sleep, withTimeout } from './timing.js';

const { values } = parseArgs({
  options: {
    'per-category': { type: 'string', default: '20000' },
    'flood-seconds': { type: 'string', default: '10' },
    'http-requests': { type: 'string', default: '20000' },
    'udp-seconds': { type: 'string', default: '10' },
    seed: { type: 'string', default: '1' },
  },
});
const PER_CATEGORY = Number(values['per-category']);
const FLOOD_SECONDS = Number(values['flood-seconds']);
const SEED = Number(values.seed);
const HTTP_REQUESTS = Number(values['http-requests']);
const HTTP_BATCH = 50;
const UDP_SECONDS = Number(values['udp-seconds']);
const FLOOD_RATE = 10_000;
const ACCEPTABLE_CLOSES = new Set([1002, 1007, 1009]);

const script = fileURLToPath(new URL('./soak-server.js', import.meta.url));

type Outcome = 'error reply' | 'close' | 'WRONG';

function exchange(ws: WebSocket, payload: Buffer, binary: boolean): Promise<Outcome> {
  return withTimeout(
    new Promise((resolve) => {
      const onMessage = (data: Buffer) => {
        cleanup();
        const reply = JSON.parse(data.toString()) as { type: string; error_code?: string };
        resolve(reply.type === 'error' && reply.error_code === 'INVALID_REQUEST' ? 'error reply' : 'WRONG');
      };
      const onClose = (code: number) => {
        cleanup();
        resolve(ACCEPTABLE_CLOSES.has(code) ? 'close' : 'WRONG');
      };
      const cleanup = () => {
        ws.off('message', onMessage);
        ws.off('close', onClose);
      };
      ws.on('message', onMessage);
      ws.once('close', onClose);
      ws.send(payload, { binary });
    }),
    10_000,
    'a reply or a close',
  );
}

async function freeUdpPort(): Promise<number> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

/** A WSJT-X Status datagram (schema 2, the fields the bridge reads) for `dialHz`. */
function wsjtxStatus(dialHz: number): Buffer {
  const text = (value: string) => {
    const bytes = Buffer.from(value, 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    return Buffer.concat([length, bytes]);
  };
  const head = Buffer.alloc(12);
  head.writeUInt32BE(0xadbccbda, 0);
  head.writeUInt32BE(2, 4);
  head.writeUInt32BE(1, 8);
  const dial = Buffer.alloc(8);
  dial.writeBigUInt64BE(BigInt(dialHz));
  return Buffer.concat([head, text('WSJT-X'), dial, text('FT8'), text('')]);
}

async function main(): Promise<void> {
  const dataDir = await makeTempDir('fuzz');
  const wsjtxPort = await freeUdpPort();
  const child = fork(script, [dataDir, '30000', String(4 * 1024 * 1024), String(wsjtxPort)], {
    env: { ...process.env, ADMIN_USERNAME, ADMIN_PASSWORD },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let failed = false;
  try {
    const url = await withTimeout(
      new Promise<string>((resolve) => child.once('message', (m: SoakMessage) => m.type === 'ready' && resolve(m.url))),
      30_000,
      'server to start',
    );
    const pid = child.pid as number;
    const operator = await RpcClient.connect(url);
    const token = await operator.login(ADMIN_USERNAME, ADMIN_PASSWORD);
    const admin = (body: Record<string, unknown>) => operator.expect({ ...body, session_token: token });
    await admin({ type: 'admin_toggle_system', active: true });
    for (const callsign of ['EA1ABC', 'DL1ABC']) await operator.expect({ type: 'register_callsign', callsign });
    await admin({ type: 'admin_send_qso', callsign: 'G0ABC', frequency: '14.195', mode: 'SSB' });
    await admin({ type: 'admin_ban_callsign', callsign: 'W1AW' });
    const snapshot = async () => [
      (await admin({ type: 'admin_get_queue' })).data,
      (await admin({ type: 'admin_get_controls' })).data,
      (await admin({ type: 'admin_get_log', limit: 500 })).data,
    ];
    const before = await snapshot();
    const rssStart = rssKiB(pid);
    console.log(`Fuzz campaign: seed ${SEED}, ${PER_CATEGORY} frames per category; server RSS at start ${formatMiB(rssStart)}\n`);
    console.log('| category | frames | error replies | closes | wrong | time | server RSS after |\n|---|---:|---:|---:|---:|---:|---:|');

    let ws = await openSocket(url);
    ws.on('error', () => undefined);
    for (const [category, arbitrary] of Object.entries(ALL_FUZZ)) {
      const t0 = now();
      const tally: Record<Outcome, number> = { 'error reply': 0, close: 0, WRONG: 0 };
      for (const frame of fc.sample(arbitrary, { seed: SEED, numRuns: PER_CATEGORY })) {
        const outcome = await exchange(ws, withToken(frame, token), frame.binary);
        tally[outcome] += 1;
        if (outcome === 'WRONG' && tally.WRONG <= 3) console.error(`fuzz: wrong answer to ${category}: ${frame.payload.subarray(0, 120).toString('hex')}`);
        if (ws.readyState !== WebSocket.OPEN) {
          ws = await openSocket(url);
          ws.on('error', () => undefined);
        }
      }
      if (tally.WRONG > 0) failed = true;
      console.log(
        `| ${category} | ${PER_CATEGORY.toLocaleString('en-US')} | ${tally['error reply'].toLocaleString('en-US')} | ${tally.close.toLocaleString('en-US')} | ${tally.WRONG} | ${((now() - t0) / 1000).toFixed(1)} s | ${formatMiB(rssKiB(pid))} |`,
      );
    }
    ws.terminate();

    // The flood: 10,000 messages a second from one client, paced in 10 ms slices.
    const flood = await openSocket(url);
    const total = FLOOD_RATE * FLOOD_SECONDS;
    let answered = 0;
    let inOrder = true;
    let peakRss = rssKiB(pid);
    flood.on('message', (data: Buffer) => {
      const id = (JSON.parse(data.toString()) as { request_id?: unknown }).request_id;
      if (id !== answered) inOrder = false;
      answered += 1;
    });
    // Invalid requests and reads only, so the state must not change; each carries its index as request_id.
    const frames = ['{"type":"register_callsign","callsign":"NOT A CALL"', '{"type":"get_queue_status"', '{"type":"ping"', '{"type":"admin_clear_queue"'];
    const t0 = now();
    for (let sent = 0; sent < total; ) {
      const due = Math.min(total, Math.floor(((now() - t0) / 1000) * FLOOD_RATE) + FLOOD_RATE / 100);
      for (; sent < due; sent++) flood.send(`${frames[sent % frames.length] as string},"request_id":${sent}}`);
      peakRss = Math.max(peakRss, rssKiB(pid));
      await sleep(10);
    }
    const sendSeconds = (now() - t0) / 1000;
    const deadline = now() + 60_000;
    while (answered < total && now() < deadline) {
      peakRss = Math.max(peakRss, rssKiB(pid));
      await sleep(50);
    }
    const floodSeconds = (now() - t0) / 1000;
    flood.terminate();
    const stats = await askStats(child);
    if (answered !== total || !inOrder) failed = true;
    console.log(
      `\nFlood: ${total.toLocaleString('en-US')} messages sent in ${sendSeconds.toFixed(1)} s (target ${FLOOD_RATE.toLocaleString('en-US')}/s), ` +
        `${answered.toLocaleString('en-US')} answered ${inOrder ? 'in order' : 'OUT OF ORDER'} within ${floodSeconds.toFixed(1)} s; ` +
        `peak requests queued on the connection ${stats.peakQueuedRequests}; server RSS peak ${formatMiB(peakRss)}, after ${formatMiB(rssKiB(pid))}.`,
    );
    // Hostile HTTP requests over raw sockets, a batch at a time, /health after each.
    const httpPort = Number(new URL(url).port);
    const statuses = new Map<string, number>();
    let serverErrors = 0;
    let healthFailures = 0;
    const httpStart = now();
    const batches = fc.sample(fc.array(hostileRequest(token), { minLength: HTTP_BATCH, maxLength: HTTP_BATCH }), {
      seed: SEED,
      numRuns: Math.ceil(HTTP_REQUESTS / HTTP_BATCH),
    });
    for (const batch of batches) {
      const answers = await Promise.all(batch.map((request) => rawExchange(httpPort, request).catch(() => 'no answer' as const)));
      for (const [i, status] of answers.entries()) {
        const key = status === null ? 'closed' : String(status);
        statuses.set(key, (statuses.get(key) ?? 0) + 1);
        if (typeof status === 'number' && status >= 500) {
          serverErrors += 1;
          if (serverErrors <= 3) console.error(`fuzz: ${status} for ${JSON.stringify(batch[i]).slice(0, 300)}`);
        }
      }
      if ((await healthStatus(httpPort).catch(() => null)) !== 200) healthFailures += 1;
    }
    if (serverErrors > 0 || healthFailures > 0) failed = true;
    const httpRequests = batches.length * HTTP_BATCH;
    console.log(
      `\nHTTP: ${httpRequests.toLocaleString('en-US')} hostile requests in ${((now() - httpStart) / 1000).toFixed(1)} s, ${HTTP_BATCH} at a time; ` +
        `answers ${[...statuses].sort().map(([status, count]) => `${status}: ${count.toLocaleString('en-US')}`).join(', ')}; ` +
        `5xx: ${serverErrors}; /health failed after ${healthFailures} of ${batches.length} batches; server RSS after ${formatMiB(rssKiB(pid))}.`,
    );

    const after = await snapshot();
    const unchanged = isDeepStrictEqual(before, after);
    const unexpected = (await askStats(child)).unexpected;
    if (!unchanged || unexpected > 0) failed = true;
    console.log(
      `State after the campaign: ${unchanged ? 'unchanged' : 'CHANGED'}; unexpected server errors: ${unexpected}. ` +
        `Load average ${(os.loadavg()[0] ?? Number.NaN).toFixed(2)} on ${os.cpus().length} cores (shared machine).`,
    );

    // A Status flood at the WSJT-X bridge: alternating frequencies, as fast as one socket sends.
    const watcher = await openSocket(url);
    let frequencyUpdates = 0;
    watcher.on('message', (data: Buffer) => {
      if (data.includes('"frequency_update"')) frequencyUpdates += 1;
    });
    const udp = dgram.createSocket('udp4');
    const statusA = wsjtxStatus(14_074_000);
    const statusB = wsjtxStatus(7_074_000);
    const rssBeforeUdp = rssKiB(pid);
    let udpPeak = rssBeforeUdp;
    let udpSent = 0;
    const udpStart = now();
    while (now() - udpStart < UDP_SECONDS * 1000) {
      for (let i = 0; i < 200; i += 1, udpSent += 1) udp.send(udpSent % 2 === 0 ? statusA : statusB, wsjtxPort, '127.0.0.1');
      udpPeak = Math.max(udpPeak, rssKiB(pid));
      await new Promise((resolve) => setImmediate(resolve));
    }
    await sleep(1000);
    udp.close();
    const { wsjtx } = await askStats(child);
    watcher.terminate();
    console.log(
      `\nWSJT-X Status flood: ${udpSent.toLocaleString('en-US')} datagrams sent in ${UDP_SECONDS} s from one socket; the bridge received ${wsjtx.datagrams.toLocaleString('en-US')} ` +
        `(the rest the kernel dropped), read ${(wsjtx.datagrams - wsjtx.rate_limited - wsjtx.not_allowed).toLocaleString('en-US')}, dropped ${wsjtx.rate_limited.toLocaleString('en-US')} as over the sender's rate, ` +
        `superseded ${wsjtx.superseded.toLocaleString('en-US')}, applied ${wsjtx.accepted.toLocaleString('en-US')}, ignored ${wsjtx.ignored}; ` +
        `${frequencyUpdates.toLocaleString('en-US')} state writes (frequency_update broadcasts); server RSS ${formatMiB(rssBeforeUdp)} before, peak ${formatMiB(udpPeak)}, after ${formatMiB(rssKiB(pid))}.`,
    );
    operator.close();
  } finally {
    if (child.connected) child.send({ cmd: 'stop' } satisfies SoakCommand);
    await withTimeout(exited, 30_000, 'server to exit').catch(() => child.kill('SIGKILL'));
    await rm(dataDir, { recursive: true, force: true });
  }
  if (failed) process.exitCode = 1;
}

await main();
