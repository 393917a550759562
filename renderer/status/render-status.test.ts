// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { fromStatus } from '../store/pileup-state.js';
import { NOW_ISO, status } from '../testing/fake-link.js';
import { renderStatus } from './render-status.js';

const online = { status: 'online' } as const;

function draw(...args: Parameters<typeof fromStatus>) {
  const root = document.createElement('main');
  renderStatus(root, fromStatus(...args), online);
  return root;
}

describe('renderStatus', () => {
  it('shows who is being worked, the queue and the frequency while active, with a link to join', () => {
    const root = draw(
      status({
        current_qso: { callsign: 'EA1ABC', timestamp: NOW_ISO, started_at: NOW_ISO, source: 'queue', qso_id: 'q' },
        queue_size: 3,
        frequency: '14.195',
        mode: 'SSB',
      }),
    );
    expect(root.textContent).toContain('QRV');
    expect(root.textContent).toContain('Working EA1ABC');
    expect(root.textContent).toContain('Queue 3/4');
    expect(root.textContent).toContain('14.195 MHz SSB');
    expect(root.querySelector('a')?.getAttribute('href')).toBe('./');
  });

  it('shows the QR code of the public page beside the card while callers can join', () => {
    const root = document.createElement('main');
    renderStatus(root, fromStatus(status()), online, 'data:image/svg+xml;charset=utf-8,%3Csvg%2F%3E');
    const image = root.querySelector('img.status-qr');
    expect(image?.getAttribute('src')).toBe('data:image/svg+xml;charset=utf-8,%3Csvg%2F%3E');
    expect(image?.getAttribute('alt')).toBe('QR code of the page to join the queue');
    renderStatus(root, fromStatus(status({ system_active: false })), online, 'data:image/svg+xml;charset=utf-8,%3Csvg%2F%3E');
    expect(root.querySelector('img')).toBeNull();
  });

  it('shows QRT and no link while inactive', () => {
    const root = draw(status({ system_active: false }));
    expect(root.textContent).toContain('QRT');
    expect(root.querySelector('a')).toBeNull();
  });

  it('says the status is unavailable while the link is down', () => {
    const root = document.createElement('main');
    renderStatus(root, fromStatus(status()), { status: 'offline', attempt: 1 });
    expect(root.textContent).toBe('Status unavailable');
  });

  it('says the station is offline rather than showing its last status as live', () => {
    const root = document.createElement('main');
    renderStatus(root, fromStatus(status({ queue_size: 3 })), { status: 'station-offline', lastSeen: NOW_ISO });
    expect(root.textContent).toBe('Station offline');
  });

  it('puts wire strings in as text, never as markup', () => {
    const hostile = '<img src=x onerror="window.pwned=1">';
    const root = draw(status({ current_qso: { callsign: hostile, timestamp: NOW_ISO, started_at: NOW_ISO, source: 'queue', qso_id: 'q' }, mode: hostile }));
    expect(root.querySelector('img')).toBeNull();
    expect(root.querySelector('strong')?.textContent).toBe(hostile);
  });
});
