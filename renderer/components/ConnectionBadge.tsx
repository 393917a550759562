import type { ConnectionState } from '../transport/server-link.js';
import { usePileup } from '../store/react.js';

function describe(state: ConnectionState): string {
  switch (state.status) {
    case 'online':
      return 'Connected';
    case 'connecting':
      return 'Connecting…';
    case 'offline':
      return state.attempt === 1 ? 'Connection lost — reconnecting…' : `Connection lost — reconnecting (attempt ${state.attempt})…`;
    case 'station-offline':
      return state.lastSeen === null ? 'Station offline' : `Station offline — last heard ${state.lastSeen.slice(11, 16)} UTC`;
  }
}

/** Where the link to the server stands; announced to screen readers when it changes. */
export function ConnectionBadge() {
  const connection = usePileup((state) => state.connection);
  return (
    <p className={`connection connection-${connection.status}`} role="status" aria-label="Connection">
      <span className="connection-dot" aria-hidden="true" />
      {describe(connection)}
    </p>
  );
}
