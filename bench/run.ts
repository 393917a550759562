/**
 * `npm run bench`: measures Pileup Buster's embedded server against a bare `ws` server on this
 * machine and prints one Markdown table. Servers run in child processes on 127.0.0.1; every
 * loop is bounded in count and time. These print figures; they are not tests.
 * `npm run bench -- login` runs only the benchmarks whose name contains one of the words given.
 */
import os from 'node:os';
import { benchAdifImport } from './adif-import.js';
import { benchColdStart } from './cold-start.js';
import { benchFanout } from './fanout.js';
import { benchIdleMemory } from './idle-memory.js';
import { benchLoginFlood } from './login-flood.js';
import { benchRegistrations } from './registrations.js';
import { benchRequestRate } from './request-rate.js';
import { benchRigFollow } from './rig-follow.js';
import { openFileLimit } from './proc.js';
import { type BenchResult, type Row, renderTable } from './table.js';
import { now } from './timing.js';

const BENCHMARKS: [string, () => Promise<BenchResult>][] = [
  ['request/reply rate', benchRequestRate],
  ['fan-out', benchFanout],
  ['durable registrations', benchRegistrations],
  ['cold start', benchColdStart],
  ['idle memory', benchIdleMemory],
  ['login flood', benchLoginFlood],
  ['rig follow', benchRigFollow],
  ['ADIF import', benchAdifImport],
];

/** The benchmark process holds up to ~2,000 client sockets (fan-out); each server child holds its own. */
const FDS_NEEDED = 2_100;

async function main(): Promise<void> {
  const limit = openFileLimit();
  if (limit !== null && limit < FDS_NEEDED) {
    console.error(`bench: the open-file limit is ${limit}; ${FDS_NEEDED} are needed. Run \`ulimit -n 4096\` first.`);
    process.exit(1);
  }
  const started = now();
  const loadBefore = os.loadavg()[0] ?? Number.NaN;
  const rows: Row[] = [];
  const notes: string[] = [];
  let failed = false;
  // `npm run bench -- durable cold` runs only the benchmarks whose names contain one of the words.
  const only = process.argv.slice(2);
  const chosen = BENCHMARKS.filter(([name]) => only.length === 0 || only.some((word) => name.includes(word)));
  if (chosen.length === 0) {
    console.error(`bench: no benchmark matches ${only.join(' ')}; they are: ${BENCHMARKS.map(([name]) => name).join(', ')}`);
    process.exit(1);
  }
  for (const [name, bench] of chosen) {
    const t0 = now();
    process.stderr.write(`bench: ${name}… `);
    try {
      const result = await bench();
      rows.push(...result.rows);
      notes.push(...result.notes);
      process.stderr.write(`${((now() - t0) / 1000).toFixed(1)} s\n`);
    } catch (error) {
      failed = true;
      process.stderr.write('failed\n');
      notes.push(`**${name} failed:** ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const cpu = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
  console.log(renderTable(rows));
  console.log();
  console.log(
    `Measured in one run on ${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, ` +
      `Node ${process.version}, ${os.platform()} ${os.release()}; open-file limit ${limit ?? 'unknown'}; ` +
      `load average ${loadBefore.toFixed(2)} before, ${(os.loadavg()[0] ?? Number.NaN).toFixed(2)} after (other work on this machine shows up as noise); ` +
      `total ${((now() - started) / 1000).toFixed(1)} s.`,
  );
  for (const note of notes) console.log(`- ${note}`);
  if (failed) process.exitCode = 1;
}

await main();
