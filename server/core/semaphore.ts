/**
 * At most `permits` tasks at once; the others wait their turn in order. At most `maxWaiting` may
 * wait: one more is refused at once (LaneFullError) instead of queueing without bound.
 */
export class LaneFullError extends Error {
  constructor(what: string) {
    super(`Too many ${what} are waiting`);
    this.name = 'LaneFullError';
  }
}

export class Semaphore {
  private running = 0;
  private readonly queue: (() => void)[] = [];

  constructor(
    private readonly what: string,
    readonly permits: number,
    readonly maxWaiting = Number.POSITIVE_INFINITY,
  ) {}

  get active(): number {
    return this.running;
  }

  get waiting(): number {
    return this.queue.length;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.permits) {
      if (this.queue.length >= this.maxWaiting) throw new LaneFullError(this.what);
      await new Promise<void>((resolve) => this.queue.push(resolve));
    } else {
      this.running += 1;
    }
    try {
      return await task();
    } finally {
      // The permit passes straight to the next waiter, so the count never dips between them.
      const next = this.queue.shift();
      if (next === undefined) this.running -= 1;
      else next();
    }
  }
}
