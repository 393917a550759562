/**
 * Picks the link for this page: the preload's `window.pileup` inside Electron, otherwise a
 * WebSocket back to the server that served the page. A page opened from disk outside Electron
 * has neither, and says so instead of failing silently.
 */
import type { PileupApi } from '../../server/protocol/ipc-contract.js';
import type { ServerLink } from './server-link.js';
import { IpcLink } from './ipc-link.js';
import type { SessionStore } from './session-storage.js';
import { WebSocketLink, wsUrlFor } from './websocket-link.js';

declare global {
  interface Window {
    pileup?: PileupApi;
  }
}

export function chooseLink(sessions: SessionStore): ServerLink | null {
  if (window.pileup !== undefined) return new IpcLink(window.pileup);
  if (window.location.protocol !== 'http:' && window.location.protocol !== 'https:') return null;
  return new WebSocketLink({ url: wsUrlFor(window.location), sessions });
}
