/**
 * The registration rules that keep a popular pileup fair: pause, bans, a per-sender rate limit
 * and the "worked recently" rule. PileupService applies them in `register`, in the order the
 * README documents; this module holds their state and arithmetic so no rule lives twice.
 */
import { DEFAULTS } from '../config/defaults.js';
import { sameStation } from '../ham/base-call.js';
import { ErrorCode, ProtocolError } from '../protocol/errors.js';
import type { Ban, Controls, RegistrationRules } from '../protocol/entities.js';
import { isLoopback, senderKey } from '../limits/sender-key.js';
import { secondsToWait, SlidingWindow } from '../limits/sliding-window.js';

/** Bans are kept in the one state document, so their number is bounded. */
export const MAX_BANS = 1000;
/** Beyond this many tracked senders the least recently active are forgotten, so a flood cannot grow memory. */
const MAX_TRACKED_SENDERS = 10_000;

/**
 * Admits one registration attempt instead of the per-address limit, or throws RATE_LIMITED: for
 * requests whose address is unknown (the public relay has its own limits).
 */
export type RegistrationAdmission = (rawCallsign: string, now: number) => void;

export function defaultControls(): Controls {
  return { ...DEFAULTS.registrationRules, registration_paused: false, bans: [] };
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
 * Per-sender sliding window of registration attempts (see sender-key.ts): every admitted attempt
 * counts, whatever the core then answers, so probing with bad or duplicate calls is limited too.
 * `now` is monotonic time.
 */
export class RegistrationRateLimiter {
  private readonly window = new SlidingWindow(MAX_TRACKED_SENDERS);

  /**
   * Records an attempt from `address` and answers 0, or answers the seconds to wait (and records
   * nothing: a refused attempt does not extend the block).
   */
  admit(address: string, rules: RegistrationRules, now: number): number {
    if (rules.rate_limit_count === 0 || (rules.rate_limit_exempt_loopback && isLoopback(address))) return 0;
    const wait = this.window.admit(senderKey(address), { limit: rules.rate_limit_count, windowMs: rules.rate_limit_window_s * 1000 }, now);
    return wait === 0 ? 0 : secondsToWait(wait);
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
