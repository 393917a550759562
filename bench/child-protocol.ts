/** The IPC messages between the benchmark runner and a server it runs in a child process. */

export type ServerKind = 'pileup' | 'bare';

export interface ReadyMessage {
  type: 'ready';
  url: string;
  /** ms from the child's process start until the server modules were imported. */
  loadedAtMs: number;
  /** ms from the child's process start until the server listened. */
  listeningAtMs: number;
}

export interface GcDoneMessage {
  type: 'gc-done';
}

export type ChildMessage = ReadyMessage | GcDoneMessage;

export type ParentCommand = { cmd: 'gc' } | { cmd: 'stop' };

export function isChildMessage(value: unknown): value is ChildMessage {
  const type = (value as { type?: unknown } | null)?.type;
  return type === 'ready' || type === 'gc-done';
}

export function isParentCommand(value: unknown): value is ParentCommand {
  const cmd = (value as { cmd?: unknown } | null)?.cmd;
  return cmd === 'gc' || cmd === 'stop';
}
