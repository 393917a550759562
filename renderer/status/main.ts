/**
 * The embeddable status page: one WebSocket, the snapshot moved forward by broadcasts, redrawn
 * on every change. No React, no store: it is meant to live in an iframe on other sites.
 */
import { memorySessionStore } from '../bridge/session-storage.js';
import { WebSocketBridge, wsUrlFor } from '../bridge/websocket-bridge.js';
import { mountPoint } from '../components/mount.js';
import { applyBroadcast, fetchSnapshot, type PileupSnapshot } from '../store/pileup-state.js';
import { renderStatus } from './render-status.js';
import '../styles/status.css';

const root = mountPoint('status');
const bridge = new WebSocketBridge({ url: wsUrlFor(window.location), sessions: memorySessionStore() });
let snapshot: PileupSnapshot | null = null;

const draw = () => renderStatus(root, snapshot, bridge.connection);

async function resync(): Promise<void> {
  snapshot = (await fetchSnapshot(bridge)) ?? snapshot;
  draw();
}

bridge.subscribe((event) => {
  if (event.kind === 'connection' && event.state.status === 'online') void resync();
  if (event.kind === 'broadcast' && snapshot !== null) snapshot = applyBroadcast(snapshot, event.message);
  draw();
});
draw();
