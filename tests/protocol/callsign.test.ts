import { describe, expect, it } from 'vitest';
import { MAX_CALLSIGN_LENGTH, normalizeCallsign } from '../../server/protocol/callsign.js';
import { MUST_ACCEPT, MUST_REJECT, NON_STRINGS } from './callsign-vectors.js';

describe('normalizeCallsign', () => {
  it.each(MUST_ACCEPT)('accepts %j as %s', (raw, normalized) => {
    expect(normalizeCallsign(raw)).toBe(normalized);
  });

  it.each(MUST_REJECT)('rejects %j', (raw) => {
    expect(normalizeCallsign(raw)).toBeNull();
  });

  it.each(NON_STRINGS)('rejects the non-string %j', (raw) => {
    expect(normalizeCallsign(raw)).toBeNull();
  });

  it('rejects undefined', () => {
    expect(normalizeCallsign(undefined)).toBeNull();
  });

  it('accepts a valid call of exactly 20 characters and nothing longer', () => {
    const twenty = '3DA99/3DA1234ABCD/QR';
    expect(twenty).toHaveLength(MAX_CALLSIGN_LENGTH);
    expect(normalizeCallsign(twenty)).toBe(twenty);
    expect(normalizeCallsign(`${twenty}P`)).toBeNull();
  });

  it('validates after trimming, so surrounding whitespace does not count towards the length', () => {
    expect(normalizeCallsign(`  ${'3DA99/3DA1234ABCD/QR'.toLowerCase()}\t\n`)).toBe('3DA99/3DA1234ABCD/QR');
  });
});
