/**
 * One TCP connection to Hamlib's `rigctld` (rigctld(1), "PROTOCOL"). A command is one line; its
 * answer is read in the *extended response* form, asked for with a leading `+`:
 *
 *     +f                  get_freq:
 *                         Frequency: 14074000
 *                         RPRT 0
 *
 * a header line echoing the command, `Key: value` lines, then `RPRT n` (0: done; negative: a
 * Hamlib error, listed below). rigctld answers in the order it was asked, so one command in
 * flight at a time keeps each answer with its command. Anything that is not such an answer
 * (another program on the port, a line or record too long) ends the connection with an error.
 */
import net from 'node:net';

/** Hamlib's error codes (`RPRT -n`), in Hamlib's own words (rigerror, src/rig.c). */
const HAMLIB_ERRORS = [
  'Command completed successfully',
  'Invalid parameter',
  'Invalid configuration',
  'Memory shortage',
  'Feature not implemented',
  'Communication timed out',
  'IO error',
  'Internal Hamlib error',
  'Protocol error',
  'Command rejected by the rig',
  'Command performed, but arg truncated, result not guaranteed',
  'Feature not available',
  'Target VFO unaccessible',
  'Communication bus error',
  'Communication bus collision',
  'NULL RIG handle or invalid pointer parameter',
  'Invalid VFO',
  'Argument out of domain of func',
  'Function deprecated',
  'Security error password not provided or crypto failure',
  'Rig is not powered on',
] as const;

/** Real answers are a few short lines (`\dump_caps`, which we never send, is the long one). */
const MAX_LINE_CHARS = 1024;
const MAX_RECORD_LINES = 32;

/** rigctld answered `RPRT n` with n < 0: the rig (or Hamlib) refused; the connection is fine. */
export class HamlibError extends Error {
  constructor(
    readonly command: string,
    readonly code: number,
  ) {
    super(`rig: ${HAMLIB_ERRORS[-code] ?? `Hamlib error ${code}`} (RPRT ${code} to ${command})`);
  }
}

/** The `Key: value` lines of one extended answer, keyed by the key as rigctld spells it. */
export type RigctldValues = ReadonlyMap<string, string>;

interface Pending {
  command: string;
  /** Extended answers end with `RPRT n`; a plain one (only `\chk_vfo` here) is one line. */
  extended: boolean;
  lines: string[];
  resolve(lines: string[]): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

export class RigctldConnection {
  private buffer = '';
  private pending: Pending | undefined;
  private closedError: Error | undefined;
  private readonly closeListeners: ((error: Error) => void)[] = [];

  private constructor(
    private readonly socket: net.Socket,
    private readonly timeoutMs: number,
  ) {
    socket.setEncoding('latin1');
    socket.setNoDelay(true);
    socket.on('data', (chunk: string) => this.receive(chunk));
    socket.on('error', (error) => this.fail(error));
    socket.on('close', () => this.fail(new Error('rigctld closed the connection')));
  }

  /** Opens the connection; rejects when nothing listens there, it takes over `timeoutMs`, or `signal` aborts. */
  static connect(host: string, port: number, timeoutMs: number, signal: AbortSignal): Promise<RigctldConnection> {
    if (signal.aborted) return Promise.reject(new Error('stopped'));
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host, port });
      const give = (error: Error) => {
        clearTimeout(timer);
        signal.removeEventListener('abort', aborted);
        socket.destroy();
        reject(error);
      };
      const aborted = () => give(new Error('stopped'));
      const timer = setTimeout(() => give(new Error(`no connection to ${host}:${port} within ${timeoutMs / 1000} s`)), timeoutMs);
      signal.addEventListener('abort', aborted, { once: true });
      socket.once('connect', () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', aborted);
        socket.removeAllListeners('error');
        resolve(new RigctldConnection(socket, timeoutMs));
      });
      socket.once('error', give);
    });
  }

  /** Sends `+command` and resolves with its values, or rejects with a HamlibError or the connection's end. */
  async request(command: string): Promise<RigctldValues> {
    const lines = await this.send(command, true);
    const values = new Map<string, string>();
    // The header (`get_freq:`, `get_freq: currVFO`) reads as one more key: harmless, and rigctld
    // leaves it out of some error answers, so it cannot be told apart by position.
    for (const line of lines) {
      const colon = line.indexOf(':');
      if (colon > 0) values.set(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
    }
    return values;
  }

  /** Sends a plain command whose answer is one line (`\chk_vfo` → `0`), and resolves with that line. */
  async requestLine(command: string): Promise<string> {
    const [line = ''] = await this.send(command, false);
    return line;
  }

  /** Called once, when the connection ends for any reason (not after `close()`). */
  onClose(listener: (error: Error) => void): void {
    this.closeListeners.push(listener);
  }

  close(): void {
    this.closedError ??= new Error('closed');
    this.closeListeners.length = 0;
    this.rejectPending(this.closedError);
    this.socket.destroy();
  }

  private send(command: string, extended: boolean): Promise<string[]> {
    if (this.closedError !== undefined) return Promise.reject(this.closedError);
    if (this.pending !== undefined) return Promise.reject(new Error(`${command} sent while ${this.pending.command} is unanswered`));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => this.fail(new Error(`rigctld did not answer ${command} within ${this.timeoutMs / 1000} s`)),
        this.timeoutMs,
      );
      this.pending = { command, extended, lines: [], resolve, reject, timer };
      this.socket.write(`${extended ? '+' : ''}${command}\n`);
    });
  }

  private receive(chunk: string): void {
    this.buffer += chunk;
    for (let end = this.buffer.indexOf('\n'); end >= 0; end = this.buffer.indexOf('\n')) {
      const line = this.buffer.slice(0, end).replace(/\r$/, '');
      this.buffer = this.buffer.slice(end + 1);
      this.line(line);
      if (this.closedError !== undefined) return;
    }
    if (this.buffer.length > MAX_LINE_CHARS) this.fail(new Error('not a rigctld answer (a line too long)'));
  }

  private line(line: string): void {
    const pending = this.pending;
    if (pending === undefined) return this.fail(new Error(`not a rigctld answer (unasked: ${JSON.stringify(line.slice(0, 80))})`));
    const report = /^RPRT (-?\d+)$/.exec(line);
    if (!pending.extended || report !== null) {
      this.pending = undefined;
      clearTimeout(pending.timer);
      const code = report === null ? 0 : Number(report[1]);
      if (code < 0) pending.reject(new HamlibError(pending.command, code));
      else pending.resolve(pending.extended ? pending.lines : [line]);
      return;
    }
    pending.lines.push(line);
    if (pending.lines.length > MAX_RECORD_LINES) this.fail(new Error(`not a rigctld answer (${pending.command} never ended with RPRT)`));
  }

  private rejectPending(error: Error): void {
    const pending = this.pending;
    if (pending === undefined) return;
    this.pending = undefined;
    clearTimeout(pending.timer);
    pending.reject(error);
  }

  private fail(error: Error): void {
    if (this.closedError !== undefined) return;
    this.closedError = error;
    this.socket.destroy();
    this.rejectPending(error);
    for (const listener of this.closeListeners.splice(0)) listener(error);
  }
}
