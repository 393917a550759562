/**
 * "Follow the rig": from the rig changing to every client hearing it. A real `rigctld -m 1`
 * (dummy rig) on 127.0.0.1, the server in this process with the rigctld client at its shipped
 * timing (a poll about once a second), one WebSocket client. Each round sets a new frequency
 * through rigctld's own protocol on a second connection, as the VFO knob would, at a random
 * moment of the poll cycle, and times from rigctld's `RPRT 0` to the `frequency_update`
 * broadcast. The poll interval bounds it: the mean is about half of it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import net from 'node:net';
import { startServer } from '../server/app.js';
import { RIG_TIMING } from '../server/rig/rig-follower.js';
import { makeTempDir } from './child-server.js';
import { openSocket, parseFrame } from './client.js';
import { formatMs, mean, percentile } from './stats.js';
import { type BenchResult, NO_BASELINE, verdict } from './table.js';
import { now, sleep, withTimeout } from './timing.js';
import { freePort } from './free-port.js';

const RIGCTLD = '/usr/bin/rigctld';
const ROUNDS = 30;
/** A change must reach the clients within one poll interval plus this much. */
const SLACK_MS = 200;

async function connectWhenUp(port: number, child: ChildProcess): Promise<net.Socket> {
  const deadline = now() + 15_000;
  for (;;) {
    const socket = await new Promise<net.Socket | undefined>((resolve) => {
      const attempt = net.connect({ host: '127.0.0.1', port });
      attempt.once('connect', () => resolve(attempt));
      attempt.once('error', () => resolve(undefined));
    });
    if (socket !== undefined) return socket;
    if (child.exitCode !== null || now() > deadline) throw new Error('rigctld did not start');
    await sleep(20);
  }
}

export async function benchRigFollow(): Promise<BenchResult> {
  if (!existsSync(RIGCTLD)) throw new Error(`${RIGCTLD} is missing: apt-get install -y libhamlib-utils`);
  const port = await freePort();
  const rigctld = spawn(RIGCTLD, ['-m', '1', '-T', '127.0.0.1', '-t', String(port)], { stdio: 'ignore' });
  const dataDir = await makeTempDir('rig');
  try {
    const control = await connectWhenUp(port, rigctld);
    control.setEncoding('latin1');
    const rigSays = (command: string) =>
      withTimeout(
        new Promise<void>((resolve, reject) => {
          control.once('data', (answer: string) => (answer.includes('RPRT 0') ? resolve() : reject(new Error(`rigctld: ${answer}`))));
          control.write(`+${command}\n`);
        }),
        5_000,
        `rigctld answer to ${command}`,
      );
    const server = await startServer({
      dataDir,
      host: '127.0.0.1',
      port: 0,
      env: { ADMIN_PASSWORD: 'bench-rig-password' },
      bridges: { rigctld_enabled: true, rigctld_host: '127.0.0.1', rigctld_port: port },
      onUnexpected: () => undefined,
    });
    const ws = await openSocket(server.url);
    try {
      const heard = new Map<string, number>();
      ws.on('message', (data) => {
        const frame = parseFrame(data);
        const frequency = frame.type === 'frequency_update' ? frame.data?.frequency : undefined;
        if (typeof frequency === 'string') heard.set(frequency, now());
      });
      const latencies: number[] = [];
      for (let round = 0; round < ROUNDS; round += 1) {
        // A random moment of the poll cycle, so the rounds sample all of it.
        await sleep(Math.random() * RIG_TIMING.pollIntervalMs);
        const hz = 14_000_000 + (round + 1) * 1_000;
        const mhz = String(hz / 1e6);
        await rigSays(`F ${hz}`);
        const changedAt = now();
        const deadline = changedAt + 10_000;
        while (!heard.has(mhz)) {
          if (now() > deadline) throw new Error(`no frequency_update for ${mhz} MHz within 10 s`);
          await sleep(2);
        }
        latencies.push((heard.get(mhz) ?? Number.NaN) - changedAt);
      }
      // What one poll costs: `+f` and `+m` to rigctld, answered, as the client sends them.
      const polls: number[] = [];
      for (let poll = 0; poll < 100; poll += 1) {
        const started = now();
        await rigSays('f');
        await rigSays('m');
        polls.push(now() - started);
      }
      const p99 = percentile(latencies, 99);
      const goal = RIG_TIMING.pollIntervalMs + SLACK_MS;
      return {
        rows: [
          {
            benchmark: `follow the rig: rigctld change → frequency_update (${ROUNDS} rounds, poll ${RIG_TIMING.pollIntervalMs} ms)`,
            pileup: `mean ${formatMs(mean(latencies))}, p50 ${formatMs(percentile(latencies, 50))}, p99 ${formatMs(p99)}, max ${formatMs(Math.max(...latencies))}`,
            bare: NO_BASELINE,
            ratio: NO_BASELINE,
            goal: `p99 ≤ ${goal} ms`,
            met: verdict(p99 <= goal),
          },
        ],
        notes: [`Follow the rig: min ${formatMs(Math.min(...latencies))}; the poll interval bounds the wait; one poll (\`+f\`, \`+m\` answered by rigctld) takes p50 ${formatMs(percentile(polls, 50))}, p99 ${formatMs(percentile(polls, 99))}.`],
      };
    } finally {
      ws.terminate();
      control.destroy();
      await server.close();
    }
  } finally {
    rigctld.kill('SIGTERM');
    await rm(dataDir, { recursive: true, force: true });
  }
}
