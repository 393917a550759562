/**
 * Picks the bridge for this page: the preload's `window.pileup` inside Electron, otherwise a
 * WebSocket back to the server that served the page. A page opened from disk outside Electron
 * has neither, and says so instead of failing silently.
 */
import type { PileupApi } from '../../server/protocol/ipc-contract.js';
import type { Bridge } from './bridge.js';
import { IpcBridge } from './ipc-bridge.js';
import type { SessionStore } from './session-storage.js';
import { WebSocketBridge, wsUrlFor } from './websocket-bridge.js';

declare global {
  interface Window {
    pileup?: PileupApi;
  }
}

export function chooseBridge(sessions: SessionStore): Bridge | null {
  if (window.pileup !== undefined) return new IpcBridge(window.pileup);
  if (window.location.protocol !== 'http:' && window.location.protocol !== 'https:') return null;
  return new WebSocketBridge({ url: wsUrlFor(window.location), sessions });
}
