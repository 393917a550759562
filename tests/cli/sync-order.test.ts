/**
 * "Acknowledged means on stable storage", seen from outside the process: the real headless
 * server runs under strace, and the trace must show the data write complete durably before the
 * reply (and the broadcast) reach the socket: a write to a file opened with O_DSYNC is durable
 * when it returns; any other needs an fdatasync after it. Skipped loudly where strace is missing
 * or cannot trace; a failure under E2E_REQUIRED=1 (.ci/run installs strace).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCK_FILE } from '../../server/store/data-dir-lock.js';
import { CLI_PATH, ensureBuilt, REPO_ROOT } from '../support/cli-process.js';
import { e2eRequired, warnSkipped } from '../support/e2e-required.js';
import { ADMIN, makeDataDir, TestClient } from '../support/harness.js';

function straceProblem(): string | null {
  try {
    execFileSync('strace', ['-f', '-e', 'trace=write', '-o', '/dev/null', process.execPath, '-e', ''], { stdio: 'pipe' });
    return null;
  } catch (error) {
    const { code, stderr } = error as NodeJS.ErrnoException & { stderr?: Buffer };
    return code === 'ENOENT' ? 'strace is not installed' : `strace cannot trace here: ${stderr?.toString().trim() ?? String(error)}`;
  }
}

const problem = straceProblem();
if (problem !== null && !e2eRequired) warnSkipped('SYNC-ORDER (STRACE) TEST', problem, 'Install it with `apt-get install -y strace`');

interface Traced {
  child: ChildProcess;
  url: string;
  traceFile: string;
  dataDir: string;
}

let traced: Traced | undefined;
let traceDir: string | undefined;
const clients: TestClient[] = [];

async function startTraced(): Promise<Traced> {
  traceDir = await mkdtemp(path.join(os.tmpdir(), 'pileup-strace-'));
  const traceFile = path.join(traceDir, 'trace.txt');
  const dataDir = await makeDataDir();
  const child = spawn(
    'strace',
    ['-f', '-y', '-s', '256', '-e', 'trace=openat,write,pwrite64,fdatasync,fsync,sendto,writev', '-o', traceFile, process.execPath, CLI_PATH, '--host', '127.0.0.1', '--port', '0', '--data-dir', dataDir],
    { cwd: REPO_ROOT, env: { ...process.env, ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const match = /WebSocket API: (ws:\/\/\S+)[\s\S]*Press Ctrl\+C to stop\./.exec(out);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`the traced server exited (${code}) before it listened:\n${out}`)));
  });
  return { child, url, traceFile, dataDir };
}

/** Stops the traced server (not strace: it exits once its tracee has) and waits for the trace to be complete. */
async function stopTraced({ child, dataDir }: Traced): Promise<void> {
  const { pid } = JSON.parse(await readFile(path.join(dataDir, LOCK_FILE), 'utf8')) as { pid: number };
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(pid, 'SIGTERM');
  await exited;
}

/** One syscall in the trace: where it started and where it returned (the "resumed" line when it blocked). */
interface Call {
  pid: string;
  name: string;
  text: string;
  doneAt: number;
}

function parseTrace(trace: string): Call[] {
  const calls: Call[] = [];
  const open = new Map<string, { name: string; text: string }>();
  trace.split('\n').forEach((line, index) => {
    const resumed = /^(\d+)\s+<\.\.\. (\w+) resumed>(.*)$/.exec(line);
    if (resumed) {
      const [, pid = '', name = '', rest = ''] = resumed;
      const started = open.get(pid);
      open.delete(pid);
      calls.push({ pid, name, text: `${started?.text ?? ''}${rest}`, doneAt: index });
      return;
    }
    const call = /^(\d+)\s+(\w+)\((.*)$/.exec(line);
    if (!call) return;
    const [, pid = '', name = '', rest = ''] = call;
    if (rest.endsWith('<unfinished ...>')) open.set(pid, { name, text: rest });
    else calls.push({ pid, name, text: rest, doneAt: index });
  });
  return calls;
}

function doneAt(calls: Call[], what: string, match: (call: Call) => boolean, after = -1): number {
  const found = calls.filter((call) => call.doneAt > after && match(call)).sort((a, b) => a.doneAt - b.doneAt)[0];
  if (found === undefined) throw new Error(`no ${what} in the trace`);
  return found.doneAt;
}

const writesTo = (file: string, content: string) => (call: Call) =>
  (call.name === 'pwrite64' || call.name === 'write') && call.text.includes(`/${file}>`) && call.text.includes(content);
const syncOf = (file: string) => (call: Call) => (call.name === 'fdatasync' || call.name === 'fsync') && call.text.includes(`/${file}>`) && /= 0\s*$/.test(call.text);
/**
 * Where the write of `content` to `file` (after call `after`) became durable: where it returned,
 * when its descriptor was opened with O_DSYNC; else where the fdatasync after it returned.
 */
function durableAt(calls: Call[], file: string, content: string, after = -1): number {
  const written = doneAt(calls, `${file} write of ${content}`, writesTo(file, content), after);
  const fd = /^(\d+)</.exec(calls.find((call) => call.doneAt === written)?.text ?? '')?.[1];
  const opened = calls.filter((call) => call.name === 'openat' && call.doneAt < written && call.text.includes(`= ${fd}</`) && call.text.includes(`/${file}>`)).at(-1);
  if (opened === undefined) throw new Error(`no openat of ${file} as descriptor ${fd} before its write`);
  if (opened.text.includes('O_DSYNC')) return written;
  return doneAt(calls, `fdatasync of ${file} after its write of ${content}`, syncOf(file), written);
}

/** strace escapes quotes in what it prints: match plain words. */
const socketSends = (...words: string[]) => (call: Call) =>
  ['write', 'writev', 'sendto'].includes(call.name) && /<(TCP|TCPv6|socket)/.test(call.text) && words.every((word) => call.text.includes(word));

beforeAll(async () => {
  if (problem !== null && e2eRequired) throw new Error(`E2E_REQUIRED=1 but ${problem}`);
  await ensureBuilt();
}, 120_000);

afterAll(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  if (traced && traced.child.exitCode === null) traced.child.kill('SIGKILL');
  if (traced) await rm(traced.dataDir, { recursive: true, force: true });
  if (traceDir) await rm(traceDir, { recursive: true, force: true });
});

describe.skipIf(problem !== null && !e2eRequired)('sync before reply, seen with strace', () => {
  it('writes state.db (and log.db) durably — with O_DSYNC or fdatasync — before the reply and the broadcast reach the socket', async () => {
    traced = await startTraced();
    const operator = await TestClient.connect(traced.url);
    clients.push(operator);
    await operator.login();
    await operator.admin('admin_toggle_system', { active: true });
    expect(await operator.request('register_callsign', { callsign: 'K9SYNC' })).toMatchObject({ type: 'success' });
    expect(await operator.admin('admin_send_qso', { callsign: 'N9SYNC', frequency: '14.205', mode: 'SSB' })).toMatchObject({ type: 'success' });
    await operator.close();
    await stopTraced(traced);

    const calls = parseTrace(await readFile(traced.traceFile, 'utf8'));

    const synced = durableAt(calls, 'state.db', 'K9SYNC');
    const replied = doneAt(calls, 'reply to register_callsign', socketSends('Callsign registered successfully'));
    const broadcast = doneAt(calls, 'queue_update broadcast', socketSends('queue_update', 'K9SYNC'));
    expect(synced).toBeLessThan(replied);
    expect(synced).toBeLessThan(broadcast);

    const logSynced = durableAt(calls, 'log.db', 'N9SYNC');
    const stateAfter = doneAt(calls, 'state.db write of the new current QSO', writesTo('state.db', 'N9SYNC'), logSynced);
    const stateSynced = durableAt(calls, 'state.db', 'N9SYNC', logSynced);
    const sent = doneAt(calls, 'reply to admin_send_qso', socketSends('QSO processed successfully'));
    // The log first, then the state (a power cut in between loses no QSO), then the reply.
    expect(logSynced).toBeLessThan(stateAfter);
    expect(stateSynced).toBeLessThan(sent);
  });
});
