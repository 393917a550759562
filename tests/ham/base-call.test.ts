import { describe, expect, it } from 'vitest';
import { baseCallsign, sameStation } from '../../server/ham/base-call.js';

describe('baseCallsign', () => {
  it.each([
    ['G0ABC', 'G0ABC'],
    ['G0ABC/P', 'G0ABC'],
    ['EA8/G0ABC', 'G0ABC'],
    ['EA8/G0ABC/P', 'G0ABC'],
    ['G0ABC/EA8/QRP', 'G0ABC'],
    ['W1AW/7', 'W1AW'],
    ['DL50FRANCE', 'DL50FRANCE'],
  ])('finds %s in %s', (callsign, base) => {
    expect(baseCallsign(callsign)).toBe(base);
  });

  it('tells forms of one call from different calls', () => {
    expect(sameStation('G0ABC/P', 'EA8/G0ABC')).toBe(true);
    expect(sameStation('G0ABC', 'G0ABD')).toBe(false);
  });
});
