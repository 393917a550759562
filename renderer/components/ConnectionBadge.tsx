import type { ConnectionState } from '../transport/server-link.js';
import { utcHourMinute } from '../format/time.js';
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
      return state.lastSeen === null ? 'Station offline' : `Station offline — last heard ${utcHourMinute(state.lastSeen)} UTC`;
  }
}

export interface ConnectionWords {
  label: string;
  describe(state: ConnectionState): string;
}

const ENGLISH: ConnectionWords = { label: 'Connection', describe };

/** Where the link to the server stands; announced to screen readers when it changes. `words`: another language's. */
export function ConnectionBadge({ words = ENGLISH }: { words?: ConnectionWords }) {
  const connection = usePileup((state) => state.connection);
  return (
    <p className={`connection connection-${connection.status}`} role="status" aria-label={words.label}>
      <span className="connection-dot" aria-hidden="true" />
      {words.describe(connection)}
    </p>
  );
}
