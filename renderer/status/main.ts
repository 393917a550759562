/**
 * The embeddable status page: one WebSocket, the snapshot moved forward by broadcasts, redrawn
 * on every change. No React, no store: it is meant to live in an iframe on other sites.
 */
import { memorySessionStore } from '../transport/session-storage.js';
import { WebSocketLink, wsUrlFor } from '../transport/websocket-link.js';
import { mountPoint } from '../components/mount.js';
import { applyBroadcast, fetchSnapshot, type PileupSnapshot } from '../store/pileup-state.js';
import { renderStatus } from './render-status.js';
import '../styles/status.css';

const root = mountPoint('status');
const link = new WebSocketLink({ url: wsUrlFor(window.location), sessions: memorySessionStore() });
let snapshot: PileupSnapshot | null = null;

const draw = () => renderStatus(root, snapshot, link.connection);

async function resync(): Promise<void> {
  snapshot = (await fetchSnapshot(link)) ?? snapshot;
  draw();
}

link.subscribe((event) => {
  if (event.kind === 'connection' && event.state.status === 'online') void resync();
  if (event.kind === 'broadcast' && snapshot !== null) snapshot = applyBroadcast(snapshot, event.message);
  draw();
});
draw();
