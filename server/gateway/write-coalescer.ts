/**
 * Frames sent to one connection in the same turn of the event loop leave in one write. A batch
 * of commands emits its broadcasts and then its replies all at once: without this, every frame
 * is its own system call on every connection (and wakes every reader once per frame), which
 * costs more than building the frames. The frames and their order do not change.
 */
import type { Writable } from 'node:stream';

export class WriteCoalescer {
  private readonly held = new Set<Writable>();
  private scheduled = false;

  /** Holds `socket`'s writes until the current turn of the event loop has run its course. */
  hold(socket: Writable): void {
    if (!this.held.has(socket)) {
      socket.cork();
      this.held.add(socket);
    }
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.release());
  }

  /** Sends everything held (also at shutdown, so nothing waits for a turn that never comes). */
  release(): void {
    this.scheduled = false;
    for (const socket of this.held) socket.uncork();
    this.held.clear();
  }
}
