/** What every slice of the store gets: the link, typed requests, notices, and the store itself. */
import type { StoreApi } from 'zustand/vanilla';
import type { ServerLink } from '../../transport/server-link.js';
import type { Notify, Requester } from '../requests.js';
import type { PileupState } from '../pileup-store.js';

export interface SliceContext {
  link: ServerLink;
  requests: Requester;
  notify: Notify;
  set: StoreApi<PileupState>['setState'];
  get: StoreApi<PileupState>['getState'];
}
