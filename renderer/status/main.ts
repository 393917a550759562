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
let qrCode: string | null = null;

const draw = () => renderStatus(root, snapshot, link.connection, qrCode);

// The QR code of the public page (the card's "Join the queue" link), made after the first draw.
void import('qrcode')
  .then(({ toString }) => toString(new URL('./', window.location.href).href, { type: 'svg', margin: 1 }))
  .then((svg) => {
    qrCode = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
    draw();
  });

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
