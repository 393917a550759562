/**
 * The registration rules that keep a popular pileup fair: pause, bans, a per-address rate limit
 * and the "worked recently" rule. PileupService applies them in `register`, in the order the
 * README documents; this module holds their state and arithmetic so no rule lives twice.
 */
import { sameStation } from '../ham/base-call.js';
import { ErrorCode, ProtocolError } from '../protocol/errors.js';
import type { Ban, Controls, RegistrationRules } from '../protocol/entities.js';

export const DEFAULT_REGISTRATION_RULES: RegistrationRules = {
  rate_limit_count: 10,
  rate_limit_window_s: 60,
  rate_limit_exempt_loopback: true,
  worked_recently_minutes: 0,
};

/** Bans are kept in the one state document, so their number is bounded. */
export const MAX_BANS = 1000;
/** Beyond this many tracked addresses the oldest are forgotten, so a spoofing flood cannot grow memory. */
const MAX_TRACKED_ADDRESSES = 10_000;

export function defaultControls(): Controls {
  return { ...DEFAULT_REGISTRATION_RULES, registration_paused: false, bans: [] };
}

/**
 * Controls stored by an older version lack fields; the defaults fill them in. A ban stored
 * before bans covered every form of a call covers every form now (the rule of this version).
 */
export function withDefaultControls(stored: Partial<Controls> | undefined): Controls {
  const controls = { ...defaultControls(), ...stored };
  controls.bans = controls.bans.map((ban) => ({ ...ban, only_this_form: ban.only_this_form ?? false }));
  return controls;
}

/** Whether `ban` keeps `callsign` out: its exact form, or any form of the same call unless only that form is banned. */
export function banCovers(ban: Ban, callsign: string): boolean {
  return ban.callsign === callsign || (!ban.only_this_form && sameStation(ban.callsign, callsign));
}

/** The operator's own machine: the trusted desktop console ('local') or a loopback address. */
export function isLoopback(address: string): boolean {
  return (
    address === 'local' ||
    address === '::1' ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(address) ||
    /^::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/i.test(address)
  );
}

export function refuseIfPaused(controls: Controls): void {
  if (controls.registration_paused) {
    throw new ProtocolError(ErrorCode.REGISTRATION_PAUSED, 'Registration is paused for a moment; please try again later');
  }
}

/** The refusal is polite and does not reveal the operator's reason. */
export function refuseIfBanned(controls: Controls, callsign: string): void {
  if (controls.bans.some((ban) => banCovers(ban, callsign))) {
    throw new ProtocolError(ErrorCode.CALLSIGN_BANNED, `Sorry, ${callsign} cannot register in this pileup`, { callsign });
  }
}

/**
 * Per-address sliding window of registration attempts: every admitted attempt counts, whatever
 * the core then answers, so probing with bad or duplicate calls is limited too.
 */
export class RegistrationRateLimiter {
  private readonly attempts = new Map<string, number[]>();

  /**
   * Records an attempt from `address` and answers 0, or answers the seconds to wait (and records
   * nothing: a refused attempt does not extend the block).
   */
  admit(address: string, rules: RegistrationRules, now: number): number {
    if (rules.rate_limit_count === 0 || (rules.rate_limit_exempt_loopback && isLoopback(address))) return 0;
    const windowMs = rules.rate_limit_window_s * 1000;
    const recent = (this.attempts.get(address) ?? []).filter((at) => now - at < windowMs);
    if (recent.length >= rules.rate_limit_count) {
      const unblockAt = (recent[recent.length - rules.rate_limit_count] ?? now) + windowMs;
      this.attempts.set(address, recent);
      return Math.max(1, Math.ceil((unblockAt - now) / 1000));
    }
    recent.push(now);
    this.attempts.delete(address);
    this.attempts.set(address, recent);
    // Map order is least recently active first: the oldest address is forgotten.
    if (this.attempts.size > MAX_TRACKED_ADDRESSES) this.attempts.delete(this.attempts.keys().next().value as string);
    return 0;
  }

  refuseIfLimited(address: string, rules: RegistrationRules, now: number): void {
    const retryAfter = this.admit(address, rules, now);
    if (retryAfter > 0) {
      throw new ProtocolError(ErrorCode.RATE_LIMITED, 'Too many registrations from your address; please wait', {
        retry_after_s: retryAfter,
      });
    }
  }
}

/** The "worked recently" rule: `lastWorkedAt` is when the call was last logged (ms), if ever. */
export function refuseIfWorkedRecently(callsign: string, lastWorkedAt: number | undefined, rules: RegistrationRules, now: number): void {
  const windowMs = rules.worked_recently_minutes * 60_000;
  if (windowMs === 0 || lastWorkedAt === undefined || now - lastWorkedAt >= windowMs) return;
  const retryAfter = Math.max(1, Math.ceil((lastWorkedAt + windowMs - now) / 1000));
  throw new ProtocolError(
    ErrorCode.WORKED_RECENTLY,
    `${callsign} was worked in the last ${rules.worked_recently_minutes} min; please call again later`,
    { callsign, worked_at: new Date(lastWorkedAt).toISOString(), retry_after_s: retryAfter },
  );
}
