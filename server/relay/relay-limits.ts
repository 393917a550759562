/**
 * The relay's own registration limits. A caller's address is unknown behind the relay (every
 * request arrives from the NATS server), so the per-address limit cannot apply there; instead a
 * callsign may be registered through the relay only so often, and all relay registrations
 * together only so many per minute. Bans, pause and the other rules stay in the core's register
 * path, which every relay registration takes. The sliding-window arithmetic is the core's own.
 */
import { type RegistrationAdmission, RegistrationRateLimiter } from '../core/abuse-controls.js';
import { normalizeCallsign } from '../protocol/callsign.js';
import { ErrorCode, ProtocolError } from '../protocol/errors.js';
import type { RelayLimits } from '../protocol/relay.js';

const ALL_CALLERS = 'relay';

function windowRules(count: number, windowS: number) {
  return { rate_limit_count: count, rate_limit_window_s: windowS, rate_limit_exempt_loopback: false, worked_recently_minutes: 0 };
}

export class RelayRegistrationLimits {
  private readonly perCallsign = new RegistrationRateLimiter();
  private readonly overall = new RegistrationRateLimiter();

  constructor(private readonly limits: () => RelayLimits) {}

  /** For the core's register path: counts every attempt it lets through, like the per-address limit. */
  readonly admit: RegistrationAdmission = (rawCallsign, now) => {
    const limits = this.limits();
    // An invalid call is counted under what was typed, so probing with garbage is limited too.
    const callsign = normalizeCallsign(rawCallsign) ?? rawCallsign.trim().toUpperCase().slice(0, 32);
    const forCallsign = this.perCallsign.admit(callsign, windowRules(limits.callsign_limit_count, limits.callsign_limit_window_s), now);
    if (forCallsign > 0) {
      throw new ProtocolError(ErrorCode.RATE_LIMITED, `Too many registrations of ${callsign} through the relay; please wait`, {
        callsign,
        retry_after_s: forCallsign,
      });
    }
    const forAll = this.overall.admit(ALL_CALLERS, windowRules(limits.registrations_per_minute, 60), now);
    if (forAll > 0) {
      throw new ProtocolError(ErrorCode.RATE_LIMITED, 'The station is taking too many registrations through the relay; please try again shortly', {
        retry_after_s: forAll,
      });
    }
  };
}
