/**
 * The link of the public pages (the queue page and the status card). Built as a static site
 * (`npm run build:public-site`), a page carries `<meta name="pileup-relay">` and talks to the
 * station through its public relay over NATS; served by the desktop app on the LAN it has none
 * and uses a WebSocket back to that server. The NATS client is loaded only in the first case.
 */
import type { ServerLink } from './server-link.js';
import { memorySessionStore } from './session-storage.js';
import { WebSocketLink, wsUrlFor } from './websocket-link.js';

export const RELAY_META = 'pileup-relay';

/** Thrown when the page was built for a relay but its settings are unusable (say so, never fall back silently). */
export class RelayConfigError extends Error {}

export async function publicLink(): Promise<ServerLink> {
  const meta = document.querySelector<HTMLMetaElement>(`meta[name="${RELAY_META}"]`);
  if (meta === null) {
    // Callers never log in: the session store only exists because the link can.
    return new WebSocketLink({ url: wsUrlFor(window.location), sessions: memorySessionStore() });
  }
  const { NatsLink, relayPageConfig } = await import('./nats-link.js');
  const config = relayPageConfig(meta.content, window.location.search);
  if (config === null) throw new RelayConfigError(`This page's relay settings are unusable: ${meta.content}`);
  return new NatsLink(config);
}
