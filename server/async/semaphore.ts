/**
 * At most `permits` tasks at once; the others wait their turn in order. At most `maxWaiting` may
 * wait: one more is refused at once (LaneFullError) instead of queueing without bound. With
 * `restRatio`, a permit is held for `restRatio` times as long as its task ran before the next
 * task may have it (the task's result is not delayed): a lane of one permit with restRatio 1 is
 * busy at most half of the time, however much work queues up.
 */
export class LaneFullError extends Error {
  constructor(what: string) {
    super(`Too many ${what} are waiting`);
    this.name = 'LaneFullError';
  }
}

export interface SemaphoreOptions {
  maxWaiting?: number;
  restRatio?: number;
}

export class Semaphore {
  private running = 0;
  private readonly queue: (() => void)[] = [];
  private readonly maxWaiting: number;
  private readonly restRatio: number;

  constructor(
    private readonly what: string,
    readonly permits: number,
    options: SemaphoreOptions = {},
  ) {
    this.maxWaiting = options.maxWaiting ?? Number.POSITIVE_INFINITY;
    this.restRatio = options.restRatio ?? 0;
  }

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
    const started = performance.now();
    try {
      return await task();
    } finally {
      const rest = (performance.now() - started) * this.restRatio;
      if (rest > 0) setTimeout(() => this.release(), rest);
      else this.release();
    }
  }

  /** The permit passes straight to the next waiter, so the count never dips between them. */
  private release(): void {
    const next = this.queue.shift();
    if (next === undefined) this.running -= 1;
    else next();
  }
}
