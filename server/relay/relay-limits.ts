/**
 * The relay's own registration limits. A caller's address is unknown behind the relay (every
 * request arrives from the NATS server), so the per-address limit cannot apply there; instead a
 * callsign may be registered through the relay only so often, and all relay registrations
 * together only so many per minute. Bans, pause and the other rules stay in the core's register
 * path, which every relay registration takes. The sliding window is the server's one.
 */
import type { RegistrationAdmission } from '../core/abuse-controls.js';
import { secondsToWait, SlidingWindow } from '../limits/sliding-window.js';
import { normalizeCallsign } from '../protocol/callsign.js';
import { ErrorCode, ProtocolError } from '../protocol/errors.js';
import type { RelayLimits } from '../protocol/relay.js';

const ALL_CALLERS = 'relay';

export class RelayRegistrationLimits {
  private readonly perCallsign = new SlidingWindow();
  private readonly overall = new SlidingWindow(1);

  constructor(private readonly limits: () => RelayLimits) {}

  /** For the core's register path: counts every attempt it lets through, like the per-address limit. */
  readonly admit: RegistrationAdmission = (rawCallsign, now) => {
    const limits = this.limits();
    // An invalid call is counted under what was typed, so probing with garbage is limited too.
    const callsign = normalizeCallsign(rawCallsign) ?? rawCallsign.trim().toUpperCase().slice(0, 32);
    // 0 switches a limit off.
    const forCallsign =
      limits.callsign_limit_count === 0
        ? 0
        : this.perCallsign.waitMs(callsign, { limit: limits.callsign_limit_count, windowMs: limits.callsign_limit_window_s * 1000 }, now);
    if (forCallsign > 0) {
      throw new ProtocolError(ErrorCode.RATE_LIMITED, `Too many registrations of ${callsign} through the relay; please wait`, {
        callsign,
        retry_after_s: secondsToWait(forCallsign),
      });
    }
    const forAll =
      limits.registrations_per_minute === 0 ? 0 : this.overall.waitMs(ALL_CALLERS, { limit: limits.registrations_per_minute, windowMs: 60_000 }, now);
    if (forAll > 0) {
      throw new ProtocolError(ErrorCode.RATE_LIMITED, 'The station is taking too many registrations through the relay; please try again shortly', {
        retry_after_s: secondsToWait(forAll),
      });
    }
    this.perCallsign.record(callsign, now);
    this.overall.record(ALL_CALLERS, now);
  };
}
