/**
 * How the store's actions talk to the server: typed requests whose success `data` comes back in
 * the shape the reply contract promises, and refusals turned into plain words once, here.
 */
import type { DataReplyTo, DataRequestType, ReplyData } from '../../server/protocol/reply-data.js';
import type { RequestMessage, ServerLink } from '../transport/server-link.js';
import { describeError, describeFailure } from './error-text.js';

/** A request the server refused, or one that could not be delivered; `message` is in plain words. */
export class Refused extends Error {}

/** A button a notice offers (e.g. "Undo" after a ban), for as long as the notice shows. */
export interface NoticeAction {
  label: string;
  run(): void;
  /** How long the notice (and so the action) stays, in ms. */
  forMs: number;
}

export type Notify = (tone: 'error' | 'info', text: string, action?: NoticeAction) => void;

export interface Requester {
  /** The reply's `data` when the server said yes; otherwise throws Refused. */
  call<T extends DataRequestType>(request: RequestMessage<T>): Promise<ReplyData<T>>;
  /**
   * An operator command: a refusal becomes an error notice, `done` (when given) an info notice.
   * A second press while the first is on its way is ignored — a doubled "work next" would
   * silently skip a station. Resolves with the data, or null when refused or ignored.
   */
  command<T extends DataRequestType>(key: string, request: RequestMessage<T>, done?: (data: ReplyData<T>) => string): Promise<ReplyData<T> | null>;
}

/** A plain-words message for anything an action caught. */
export function plainWords(error: unknown): string {
  return error instanceof Refused ? error.message : describeFailure(error);
}

export function createRequester(link: ServerLink, notify: Notify): Requester {
  const inFlight = new Set<string>();

  async function call<T extends DataRequestType>(request: RequestMessage<T>): Promise<ReplyData<T>> {
    let reply: DataReplyTo<T>;
    try {
      // TS cannot resolve ReplyTo<T> for a generic T; for a data type it is exactly DataReplyTo<T>.
      reply = (await link.request<T>(request)) as DataReplyTo<T>;
    } catch (error) {
      throw new Refused(describeFailure(error));
    }
    if (reply.type === 'error') throw new Refused(describeError(reply));
    return reply.data;
  }

  async function command<T extends DataRequestType>(
    key: string,
    request: RequestMessage<T>,
    done?: (data: ReplyData<T>) => string,
  ): Promise<ReplyData<T> | null> {
    if (inFlight.has(key)) return null;
    inFlight.add(key);
    try {
      const data = await call(request);
      if (done) notify('info', done(data));
      return data;
    } catch (error) {
      notify('error', plainWords(error));
      return null;
    } finally {
      inFlight.delete(key);
    }
  }

  return { call, command };
}
