/** Clocks, pauses and time limits: every wait in the benchmarks is bounded. */
import { setTimeout as delay } from 'node:timers/promises';

/** Monotonic milliseconds. */
export function now(): number {
  return performance.now();
}

export function sleep(ms: number): Promise<void> {
  return delay(ms);
}

/** Rejects with a clear message when `promise` has not settled within `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A promise with its resolve function, for "the last of N events arrived" signals. */
export function signal<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}
