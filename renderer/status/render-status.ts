/**
 * Draws the embeddable status card with plain DOM calls (no framework: the page must stay tiny
 * inside someone's QRZ.com biography). Every string from the wire goes in as textContent.
 */
import type { ConnectionState } from '../transport/server-link.js';
import { frequencyLabel } from '../components/qso-labels.js';
import type { PileupSnapshot } from '../store/pileup-state.js';

function line(className: string, ...parts: (string | Node)[]): HTMLElement {
  const element = document.createElement('p');
  element.className = className;
  element.append(...parts);
  return element;
}

function strong(text: string): HTMLElement {
  const element = document.createElement('strong');
  element.textContent = text;
  return element;
}

/**
 * `qrCode` (a data: URL of an SVG, when made) is the QR code of the public page, shown beside
 * the card while callers can join.
 */
export function renderStatus(root: HTMLElement, snapshot: PileupSnapshot | null, connection: ConnectionState, qrCode: string | null = null): void {
  if (connection.status === 'station-offline') {
    root.replaceChildren(line('status-state is-off', 'Station offline'));
    return;
  }
  if (snapshot === null || connection.status !== 'online') {
    root.replaceChildren(line('status-state is-unknown', connection.status === 'online' ? 'Loading…' : 'Status unavailable'));
    return;
  }
  const active = snapshot.system_active;
  const parts: HTMLElement[] = [
    line(`status-state ${active ? 'is-on' : 'is-off'}`, active ? 'QRV — taking calls' : 'QRT — not taking calls'),
  ];
  if (snapshot.current_qso !== null) parts.push(line('status-working', 'Working ', strong(snapshot.current_qso.callsign)));
  if (active) parts.push(line('status-queue', `Queue ${snapshot.queue_size}/${snapshot.max_queue_size}`));
  const onAir = frequencyLabel(snapshot.frequency, snapshot.mode);
  if (onAir !== null) parts.push(line('status-frequency', onAir + (snapshot.split === null ? '' : ` · ${snapshot.split}`)));
  if (active) {
    const link = document.createElement('a');
    link.href = './';
    link.target = '_blank';
    link.rel = 'noopener';
    link.textContent = 'Join the queue';
    parts.push(line('status-link', link));
    if (qrCode !== null) {
      const image = document.createElement('img');
      image.className = 'status-qr';
      image.src = qrCode;
      image.alt = 'QR code of the page to join the queue';
      parts.unshift(image);
    }
  }
  root.replaceChildren(...parts);
}
