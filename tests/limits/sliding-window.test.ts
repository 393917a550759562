/**
 * The one sliding window behind every allowance, and the lane that bounds password checks.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LaneFullError, Semaphore } from '../../server/async/semaphore.js';
import { secondsToWait, SlidingWindow } from '../../server/limits/sliding-window.js';

const RULE = { limit: 3, windowMs: 60_000 };

describe('sliding window', () => {
  it('admits up to the limit within the window, then says how long until the oldest event leaves it', () => {
    const window = new SlidingWindow();
    expect([0, 10_000, 20_000].map((at) => window.admit('k', RULE, at))).toEqual([0, 0, 0]);
    expect(window.admit('k', RULE, 30_000)).toBe(30_000);
    expect(window.admit('k', RULE, 59_999)).toBe(1);
    expect(window.admit('k', RULE, 60_000)).toBe(0);
  });

  it('does not count a refused event: refusals do not extend the block', () => {
    const window = new SlidingWindow();
    for (const at of [0, 1, 2]) window.admit('k', RULE, at);
    for (let at = 3; at < 60_000; at += 1000) expect(window.admit('k', RULE, at)).toBeGreaterThan(0);
    expect(window.admit('k', RULE, 60_000)).toBe(0);
  });

  it('counts each key on its own', () => {
    const window = new SlidingWindow();
    for (const at of [0, 1, 2]) window.admit('a', RULE, at);
    expect(window.admit('a', RULE, 3)).toBeGreaterThan(0);
    expect(window.admit('b', RULE, 3)).toBe(0);
  });

  it('takes back a retracted event', () => {
    const window = new SlidingWindow();
    for (const at of [0, 1, 2]) window.admit('k', RULE, at);
    window.retract('k', 1);
    expect(window.admit('k', RULE, 3)).toBe(0);
    expect(window.admit('k', RULE, 4)).toBeGreaterThan(0);
  });

  it('forgets keys whose window emptied, and the least recently active beyond its capacity', () => {
    const window = new SlidingWindow(2);
    window.admit('a', RULE, 0);
    window.admit('b', RULE, 1);
    window.admit('a', RULE, 2);
    window.admit('c', RULE, 3);
    expect(window.size).toBe(2);
    // 'b' was the least recently active: forgotten, while 'a' still holds its two events.
    expect(window.waitMs('b', { limit: 1, windowMs: 60_000 }, 4)).toBe(0);
    expect(window.waitMs('a', { limit: 2, windowMs: 60_000 }, 4)).toBeGreaterThan(0);
    // A window that emptied forgets its key.
    expect(window.waitMs('a', RULE, 100_000)).toBe(0);
    expect(window.size).toBe(1);
  });

  it('rounds a wait up to whole seconds, never 0', () => {
    expect([1, 999, 1000, 1001, 59_500].map(secondsToWait)).toEqual([1, 1, 1, 2, 60]);
  });
});

describe('semaphore', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs at most its permits at once, the rest in order, and refuses beyond its waiting room', async () => {
    const lane = new Semaphore('checks', 1, { maxWaiting: 2 });
    const started: number[] = [];
    const gates: (() => void)[] = [];
    const task = (n: number) => () =>
      new Promise<number>((resolve) => {
        started.push(n);
        gates.push(() => resolve(n));
      });
    const runs = [lane.run(task(1)), lane.run(task(2)), lane.run(task(3))];
    await expect(lane.run(task(4))).rejects.toBeInstanceOf(LaneFullError);
    await Promise.resolve();
    expect(started).toEqual([1]);
    expect([lane.active, lane.waiting]).toEqual([1, 2]);
    for (let n = 0; n < 3; n += 1) {
      await new Promise((resolve) => setImmediate(resolve));
      gates.shift()?.();
    }
    expect(await Promise.all(runs)).toEqual([1, 2, 3]);
    expect(started).toEqual([1, 2, 3]);
    expect([lane.active, lane.waiting]).toEqual([0, 0]);
  });

  it('with restRatio, holds the permit for that share of the task\u2019s time, without delaying its result', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'performance'] });
    const lane = new Semaphore('checks', 1, { restRatio: 1 });
    const started: number[] = [];
    const task = (n: number) => async () => {
      started.push(n);
      await new Promise((resolve) => setTimeout(resolve, 40));
      return n;
    };
    const first = lane.run(task(1));
    const second = lane.run(task(2));
    await vi.advanceTimersByTimeAsync(40);
    expect(await first).toBe(1);
    expect(started).toEqual([1]);
    await vi.advanceTimersByTimeAsync(39);
    expect(started).toEqual([1]);
    await vi.advanceTimersByTimeAsync(1);
    expect(started).toEqual([1, 2]);
    await vi.advanceTimersByTimeAsync(80);
    expect(await second).toBe(2);
    expect(lane.active).toBe(0);
  });

  it('frees the permit when a task fails', async () => {
    const lane = new Semaphore('checks', 1);
    await expect(lane.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await lane.run(() => Promise.resolve('next'))).toBe('next');
  });
});
