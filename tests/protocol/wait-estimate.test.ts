import { describe, expect, it } from 'vitest';
import { RATE_SAMPLE, RATE_WINDOW_MS, rememberEnd, secondsPerQso } from '../../server/protocol/wait-estimate.js';

const NOW = 10_000_000;
const minutesAgo = (minutes: number) => NOW - minutes * 60_000;

describe('secondsPerQso', () => {
  it('is unknown until two QSOs ended', () => {
    expect(secondsPerQso([], NOW)).toBeNull();
    expect(secondsPerQso([minutesAgo(1)], NOW)).toBeNull();
  });

  it('is the average gap between recent QSO ends', () => {
    expect(secondsPerQso([minutesAgo(6), minutesAgo(4), minutesAgo(0)], NOW)).toBe(180);
  });

  it('ignores QSOs older than the rate window', () => {
    const old = NOW - RATE_WINDOW_MS - 1;
    expect(secondsPerQso([old, minutesAgo(2), minutesAgo(1)], NOW)).toBe(60);
  });
});

describe('rememberEnd', () => {
  it('keeps only the newest sample, oldest first', () => {
    let ends: number[] = [];
    for (let minute = 0; minute < RATE_SAMPLE + 5; minute += 1) ends = rememberEnd(ends, minutesAgo(minute));
    expect(ends).toHaveLength(RATE_SAMPLE);
    expect(ends.at(-1)).toBe(minutesAgo(0));
    expect(ends[0]).toBe(minutesAgo(RATE_SAMPLE - 1));
  });
});
