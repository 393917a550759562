/**
 * Text from outside that reaches the console, the logs or an error message is capped by one
 * helper with one limit.
 */
import { describe, expect, it } from 'vitest';
import { MAX_SUMMARY_CHARS, summarize } from '../../server/protocol/summary.js';
import { useServer } from '../support/fixture.js';

describe('summarize', () => {
  it('keeps short text as it is and cuts long text to the limit, marking the cut', () => {
    expect(summarize('14.074 MHz FT8')).toBe('14.074 MHz FT8');
    const cut = summarize('x'.repeat(10_000));
    expect(Array.from(cut)).toHaveLength(MAX_SUMMARY_CHARS);
    expect(cut.endsWith('…')).toBe(true);
  });

  it('never cuts a character in half', () => {
    const cut = summarize('📻'.repeat(500));
    expect(cut).toBe(`${'📻'.repeat(MAX_SUMMARY_CHARS - 1)}…`);
  });
});

describe('echoed in error messages', () => {
  const fx = useServer(() => ({}), 'suite');

  it('caps an unknown message type and an invalid callsign quoted back to the client', async () => {
    const client = await fx.connect();
    const unknown = await client.request(`make_${'coffee'.repeat(2000)}`);
    expect(unknown).toMatchObject({ type: 'error', error_code: 'INVALID_REQUEST' });
    expect((unknown.message as string).length).toBeLessThan(200);
    const operator = await fx.activeOperator();
    const invalid = await operator.request('register_callsign', { callsign: `X${'1'.repeat(30_000)}` });
    expect(invalid).toMatchObject({ type: 'error', error_code: 'INVALID_CALLSIGN' });
    expect((invalid.message as string).length).toBeLessThan(200);
    await operator.admin('admin_toggle_system', { active: false });
  });
});
