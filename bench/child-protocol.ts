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

/** Per data file: syncs (O_DSYNC writes or fdatasync calls) and bytes appended so far (Pileup only). */
export type FileCounters = Record<string, { syncs: number; bytesAppended: number }>;

export interface StatsMessage {
  type: 'stats';
  files: FileCounters;
}

export type ChildMessage = ReadyMessage | GcDoneMessage | StatsMessage;

export type ParentCommand = { cmd: 'gc' } | { cmd: 'stop' } | { cmd: 'stats' };

export function isChildMessage(value: unknown): value is ChildMessage {
  const type = (value as { type?: unknown } | null)?.type;
  return type === 'ready' || type === 'gc-done' || type === 'stats';
}

export function isParentCommand(value: unknown): value is ParentCommand {
  const cmd = (value as { cmd?: unknown } | null)?.cmd;
  return cmd === 'gc' || cmd === 'stop' || cmd === 'stats';
}
