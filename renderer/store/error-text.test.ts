import { describe, expect, it } from 'vitest';
import { OfflineError } from '../transport/server-link.js';
import { refusal } from '../testing/fake-link.js';
import { describeError, describeFailure, type ErrorReply } from './error-text.js';

const say = (code: ErrorReply['error_code'], details?: Record<string, unknown>) => describeError(refusal(code, details) as ErrorReply);

describe('describeError', () => {
  it('says how long to wait after too many failed logins', () => {
    expect(say('AUTHENTICATION_FAILED')).toBe('Wrong username or password.');
    expect(say('AUTHENTICATION_FAILED', { retry_after_s: 42 })).toBe('Too many failed logins. Try again in 42 s.');
  });

  it('tells a caller whether their callsign waits or is being worked', () => {
    expect(say('ALREADY_IN_QUEUE', { callsign: 'EA1ABC', position: 2 })).toBe('EA1ABC is already in the queue, at position 2.');
    expect(say('ALREADY_IN_QUEUE', { callsign: 'EA1ABC', current_qso: true })).toBe('EA1ABC is being worked right now.');
  });

  it('gives the queue size when the queue is full', () => {
    expect(say('QUEUE_FULL', { current_size: 4, max_size: 4 })).toBe('The queue is full (4 of 4). Please try again in a few minutes.');
  });

  it('names the field of an invalid request', () => {
    expect(say('INVALID_REQUEST', { issues: [{ field: 'max_queue_size', problem: 'Too big: expected number to be <=1000' }] })).toBe(
      'max queue size: Too big: expected number to be <=1000',
    );
  });

  it("falls back to the server's message for a code it does not know", () => {
    const reply = { ...refusal('SYSTEM_ERROR'), error_code: 'SOMETHING_NEW', message: 'Slow down' } as unknown as ErrorReply;
    expect(describeError(reply)).toBe('Slow down');
  });
});

describe('describeFailure', () => {
  it('says a lost link will come back by itself', () => {
    expect(describeFailure(new OfflineError())).toMatch(/^Not connected to the server\. It will reconnect by itself/);
  });
});
