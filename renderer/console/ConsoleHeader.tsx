import { relaySummary } from '../../server/protocol/relay.js';
import { ConnectionBadge } from '../components/ConnectionBadge.js';
import { useNow } from '../components/use-now.js';
import { utcClock } from '../format/time.js';
import { useActions, usePileup } from '../store/react.js';
import { SystemSwitch } from './SystemSwitch.js';

interface HeaderProps {
  onToggle: () => void;
  onHelp: () => void;
  onShare: () => void;
}

export function ConsoleHeader({ onToggle, onHelp, onShare }: HeaderProps) {
  const now = useNow();
  const queueSize = usePileup((state) => state.pileup.queue_size);
  const maxQueueSize = usePileup((state) => state.pileup.max_queue_size);
  const clients = usePileup((state) => state.clients);
  const wsUrls = usePileup((state) => state.info?.wsUrls);
  const consoleUrl = usePileup((state) => state.info?.consoleUrls?.[0]);
  const publicUrl = usePileup((state) => state.info?.publicUrls?.[0]);
  const callsign = usePileup((state) => state.pileup.station.callsign);
  const session = usePileup((state) => state.session);
  const relay = usePileup((state) => state.relay);
  const { logout } = useActions();

  return (
    <header className="console-header">
      <h1>
        Pileup Buster{callsign !== null && <span className="header-callsign"> {callsign}</span>}
      </h1>
      <SystemSwitch onToggle={onToggle} />
      <dl className="header-facts">
        <div>
          <dt>Queue</dt>
          <dd>
            {queueSize}/{maxQueueSize}
          </dd>
        </div>
        <div>
          <dt>Clients</dt>
          <dd>{clients ?? '—'}</dd>
        </div>
        {relay !== null && (
          <div className="header-relay" title={relay.reason ?? undefined}>
            <dt>Public relay</dt>
            <dd className={`relay-state is-${relay.state}`}>{relaySummary(relay)}</dd>
          </div>
        )}
        <div>
          <dt>UTC</dt>
          <dd>
            <time className="utc-clock">{utcClock(now)}</time>
          </dd>
        </div>
      </dl>
      <ConnectionBadge />
      <div className="header-buttons">
        <button type="button" onClick={onShare}>
          Share<span className="visually-hidden"> the addresses and QR code</span>
        </button>
        <button type="button" onClick={onHelp} aria-keyshortcuts="?" aria-label="Keyboard shortcuts">
          ?
        </button>
        {session === 'logged-in' && (
          <button type="button" onClick={() => void logout()}>
            Log out
          </button>
        )}
      </div>
      {/* On a phone these are behind Share (with the QR code). */}
      <dl className="header-addresses" aria-label="Addresses">
        <div>
          <dt>Public page</dt>
          <dd>{publicUrl !== undefined && <code>{publicUrl}</code>}</dd>
        </div>
        <div>
          <dt>Console</dt>
          <dd>{consoleUrl !== undefined && <code>{consoleUrl}</code>}</dd>
        </div>
        <div>
          <dt>Logging software</dt>
          <dd>
            {(wsUrls ?? []).map((url) => (
              <code key={url}>{url}</code>
            ))}
          </dd>
        </div>
      </dl>
    </header>
  );
}
