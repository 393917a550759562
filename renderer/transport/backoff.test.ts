import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.js';

const middle = () => 0.5;

describe('backoffDelay', () => {
  it('doubles from the first delay up to the cap', () => {
    expect([1, 2, 3, 4, 5, 6].map((attempt) => backoffDelay(attempt, 500, 8000, middle))).toEqual([500, 1000, 2000, 4000, 8000, 8000]);
  });

  it('spreads each delay by at most 20 %', () => {
    expect(backoffDelay(3, 500, 8000, () => 0)).toBe(1600);
    expect(backoffDelay(3, 500, 8000, () => 1)).toBe(2400);
  });
});
