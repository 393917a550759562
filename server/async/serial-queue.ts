/**
 * Runs async tasks one at a time, in the order they were submitted: the core's commands, the
 * log file's writes, a connection's requests, a bridge's datagrams. A failed task does not stop
 * the ones behind it. When nothing is queued a task starts at once, without an extra turn of the
 * event loop, so the common uncontended case costs one promise.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private queued = 0;

  /** Tasks submitted and not yet settled. */
  get size(): number {
    return this.queued;
  }

  run<T>(task: () => Promise<T>): Promise<T> {
    this.queued += 1;
    const start = this.queued === 1 ? startNow(task) : this.tail.then(task, task);
    const result = start.finally(() => {
      this.queued -= 1;
    });
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Resolves once every task submitted so far has settled. */
  drain(): Promise<void> {
    return this.tail.then(() => undefined);
  }
}

function startNow<T>(task: () => Promise<T>): Promise<T> {
  try {
    return task();
  } catch (error) {
    return Promise.reject(error);
  }
}
