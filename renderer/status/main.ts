/**
 * The embeddable status page: one link to the server (a WebSocket on the LAN, the public relay
 * on a static site), the snapshot moved forward by broadcasts, redrawn on every change. No
 * React, no store: it is meant to live in an iframe on other sites.
 */
import { publicLink } from '../transport/public-link.js';
import { mountPoint } from '../components/mount.js';
import { applyBroadcast, fetchSnapshot, type PileupSnapshot } from '../store/pileup-state.js';
import { renderStatus } from './render-status.js';
import '../styles/status.css';

const root = mountPoint('status');

async function main(): Promise<void> {
  const link = await publicLink();
  let snapshot: PileupSnapshot | null = null;
  const draw = () => renderStatus(root, snapshot, link.connection);
  const resync = async () => {
    snapshot = (await fetchSnapshot(link)) ?? snapshot;
    draw();
  };
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
