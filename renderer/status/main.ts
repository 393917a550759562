/**
 * The embeddable status page: one link to the server (a WebSocket on the LAN, the public relay
 * on a static site), the snapshot moved forward by broadcasts, redrawn on every change. No
 * React, no store: it is meant to live in an iframe on other sites.
 */
import { mountPoint } from '../components/mount.js';
import { applyBroadcast, fetchSnapshot, type PileupSnapshot } from '../store/pileup-state.js';
import { publicLink } from '../transport/public-link.js';
import { renderStatus } from './render-status.js';
import '../styles/status.css';

const root = mountPoint('status');

async function main(): Promise<void> {
  const link = await publicLink();
  let snapshot: PileupSnapshot | null = null;
  let qrCode: string | null = null;
  const draw = () => renderStatus(root, snapshot, link.connection, qrCode);
  const resync = async () => {
    snapshot = (await fetchSnapshot(link)) ?? snapshot;
    draw();
  };
  // The QR code of the public page (the card's "Join the queue" link), made after the first draw.
  void import('qrcode')
    .then(({ toString }) => toString(new URL('./', window.location.href).href, { type: 'svg', margin: 1 }))
    .then((svg) => {
      qrCode = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
      draw();
    });
  link.subscribe((event) => {
    if ((event.kind === 'connection' && event.state.status === 'online') || event.kind === 'resync') void resync();
    if (event.kind === 'broadcast' && snapshot !== null) snapshot = applyBroadcast(snapshot, event.message);
    draw();
  });
  draw();
}

main().catch((error: unknown) => {
  root.textContent = error instanceof Error ? error.message : String(error);
});
