/**
 * Whether the data files can be written right now, for the operator's red banner. A file that
 * failed to take a write is failing until a later write to it succeeds; while any file fails, a
 * small probe file is written and synced every few seconds, so the banner clears by itself once
 * space is back even when nothing else is written.
 */
import { EventEmitter } from 'node:events';
import { open, rm } from 'node:fs/promises';
import path from 'node:path';
import type { StorageStatus } from '../protocol/storage.js';
import { isoAt } from '../time/clock.js';
import { storageFailure } from './append-file.js';
import { type CommitOutcome, writeFully } from './group-commit.js';

const PROBE_FILE = '.write-probe';
const PROBE_BYTES = 4096;
export const DEFAULT_PROBE_MS = 5_000;

export interface StorageHealthEvents {
  change: [StorageStatus];
}

export class StorageHealth extends EventEmitter<StorageHealthEvents> {
  private readonly failing = new Map<string, { reason: string; message: string }>();
  private since: number | null = null;
  private probeTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly dataDir: string,
    private readonly now: () => number,
    private readonly probeMs: number = DEFAULT_PROBE_MS,
  ) {
    super();
  }

  status(): StorageStatus {
    const last = [...this.failing.entries()].at(-1);
    return {
      writable: last === undefined,
      reason: last?.[1].reason ?? null,
      message: last?.[1].message ?? null,
      file: last?.[0] ?? null,
      since: this.since === null ? null : isoAt(this.since),
    };
  }

  /** The outcome handler of one file's writes. */
  observer(file: string): (outcome: CommitOutcome) => void {
    return (outcome) => {
      if (outcome.ok) {
        if (this.failing.delete(file)) this.changed();
        return;
      }
      const failure = storageFailure(outcome.error, file);
      this.failing.delete(file);
      this.failing.set(file, { reason: failure.reason, message: failure.message });
      this.changed();
    };
  }

  stop(): void {
    clearInterval(this.probeTimer);
    this.probeTimer = undefined;
  }

  private changed(): void {
    if (this.failing.size === 0) {
      this.since = null;
      this.stop();
    } else {
      this.since ??= this.now();
      this.probeTimer ??= setInterval(() => void this.probe(), this.probeMs).unref();
    }
    this.emit('change', this.status());
  }

  /** A write and sync of a probe file in the data folder: space is back when it succeeds. */
  private async probe(): Promise<void> {
    const file = path.join(this.dataDir, PROBE_FILE);
    try {
      const handle = await open(file, 'w');
      try {
        await writeFully(handle, Buffer.alloc(PROBE_BYTES, 0x20), 0);
        await handle.datasync();
      } finally {
        await handle.close();
      }
    } catch {
      await rm(file, { force: true }).catch(() => undefined);
      return;
    }
    await rm(file, { force: true }).catch(() => undefined);
    if (this.failing.size === 0 || this.probeTimer === undefined) return;
    this.failing.clear();
    this.changed();
  }
}
