import { useState } from 'react';
import { ConnectionBadge } from '../components/ConnectionBadge.js';
import { frequencyLabel } from '../components/qso-labels.js';
import { usePileup } from '../store/react.js';
import { RegisterForm } from './RegisterForm.js';

function OnAir() {
  const frequency = usePileup((state) => state.pileup.frequency);
  const mode = usePileup((state) => state.pileup.mode);
  const split = usePileup((state) => state.pileup.split);
  const label = frequencyLabel(frequency, mode);
  if (label === null) return null;
  return (
    <p className="on-air">
      On the air: <strong>{label}</strong>
      {split !== null && <> · listening {split}</>}
    </p>
  );
}

function NowWorking() {
  const qso = usePileup((state) => state.pileup.current_qso);
  return (
    <section className="card now-working" aria-labelledby="now-working-title">
      <h2 id="now-working-title">Now working</h2>
      {qso === null ? (
        <p className="muted">Nobody right now.</p>
      ) : (
        <p className="qso-callsign">
          {qso.callsign}
          {qso.country !== undefined && <span className="muted"> · {qso.country}</span>}
        </p>
      )}
    </section>
  );
}

function LiveQueue({ mine }: { mine: ReadonlySet<string> }) {
  const pileup = usePileup((state) => state.pileup);
  const hidden = pileup.queue_size - pileup.queue.length;
  return (
    <section className="card live-queue" aria-labelledby="live-queue-title">
      <h2 id="live-queue-title">
        Queue <span className="muted">{pileup.system_active ? `${pileup.queue_size} of ${pileup.max_queue_size}` : 'closed'}</span>
      </h2>
      {pileup.queue.length === 0 ? (
        <p className="muted">Nobody is waiting.</p>
      ) : (
        <ol className="queue-list" aria-label="Waiting stations">
          {pileup.queue.map((entry) => (
            <li key={entry.callsign} className={mine.has(entry.callsign) ? 'queue-row is-mine' : 'queue-row'}>
              <span className="queue-position">{entry.position}</span>
              <span className="queue-callsign">{entry.callsign}</span>
              {mine.has(entry.callsign) && <span className="badge">registered here</span>}
            </li>
          ))}
        </ol>
      )}
      {hidden > 0 && <p className="muted">…and {hidden} more.</p>}
    </section>
  );
}

/** The page callers and club helpers use: register, and watch the queue move. */
export function PublicPage() {
  const [mine, setMine] = useState<ReadonlySet<string>>(new Set());
  return (
    <div className="public">
      <header className="public-header">
        <h1>Pileup Buster</h1>
        <ConnectionBadge />
      </header>
      <main className="public-main">
        <OnAir />
        <RegisterForm onRegistered={(callsign) => setMine((previous) => new Set(previous).add(callsign))} />
        <NowWorking />
        <LiveQueue mine={mine} />
      </main>
    </div>
  );
}
