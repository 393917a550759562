/**
 * Answers `pileup.<station>.request`: each body is one protocol request, run through the same
 * dispatch as a WebSocket frame (marked as coming from the relay, so only public types pass),
 * and the reply is exactly the reply a WebSocket client would get. The subscription is in a
 * queue group named after the station, so a second copy of the same station never answers twice.
 * A flood is bounded: beyond MAX_IN_FLIGHT waiting requests, new ones are dropped unanswered
 * (the caller's request times out) rather than queued without limit.
 *
 * The station may publish to its own events and bucket, and NATS lets it answer on whatever
 * reply subject a request names: a caller naming `$KV.pileup-<station>.status` would have the
 * station overwrite its own snapshot with a reply. Only callers' inboxes are answered.
 */
import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import { MAX_PAYLOAD_BYTES } from '../protocol/endpoints.js';
import type { Reply } from '../protocol/envelopes.js';
import { failure } from '../protocol/reply.js';
import { ErrorCode } from '../protocol/errors.js';
import { relayNames } from '../protocol/relay.js';

export const MAX_IN_FLIGHT = 256;
/** A reply subject the station answers on: a caller's inbox, never a subject of its own. */
const INBOX = /^_INBOX\.[A-Za-z0-9_.-]+$/;

/** Runs one request's text through the dispatch, as the relay. */
export type RelayHandler = (text: string) => Promise<Reply>;

export class RelayResponder {
  private subscription: Subscription | null = null;
  private inFlight = 0;
  answered = 0;
  /** Not answered: too many waiting (a flood), or a reply subject that is no inbox. */
  dropped = 0;

  constructor(
    private readonly station: string,
    private readonly handle: RelayHandler,
    private readonly onUnexpected: (error: unknown) => void,
  ) {}

  attach(nc: NatsConnection): void {
    const { requests, bucket } = relayNames(this.station);
    this.subscription = nc.subscribe(requests, { queue: bucket, callback: (_error, msg) => this.answer(msg) });
  }

  detach(): void {
    this.subscription?.unsubscribe();
    this.subscription = null;
  }

  private answer(msg: Msg): void {
    if (msg.reply === undefined || msg.reply === '') return;
    if (!INBOX.test(msg.reply) || this.inFlight >= MAX_IN_FLIGHT) {
      this.dropped += 1;
      return;
    }
    this.inFlight += 1;
    const reply: Promise<Reply> =
      msg.data.length > MAX_PAYLOAD_BYTES
        ? Promise.resolve(failure(null, ErrorCode.INVALID_REQUEST, `Message too large (over ${MAX_PAYLOAD_BYTES} bytes)`))
        : this.handle(new TextDecoder().decode(msg.data));
    reply
      .then((answer) => {
        msg.respond(JSON.stringify(answer));
        this.answered += 1;
      })
      .catch(this.onUnexpected)
      .finally(() => {
        this.inFlight -= 1;
      });
  }
}
