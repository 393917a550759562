import { useNow } from '../components/use-now.js';
import { roughDuration, secondsSince } from '../format/time.js';
import { useActions, usePileup } from '../store/react.js';
import { PauseRegistrationButton } from './ControlsPanel.js';
import { secondsPerQso } from '../../server/protocol/wait-estimate.js';
import { bearingAndDistance } from '../format/distance.js';
import type { DistanceUnit } from '../../server/protocol/station.js';
import type { Waiting } from '../store/pileup-state.js';

export function QueuePanel({ onClear, onBan }: { onClear: () => void; onBan: (callsign: string) => void }) {
  const now = useNow();
  const queue = usePileup((state) => state.pileup.queue);
  const queueSize = usePileup((state) => state.pileup.queue_size);
  const maxQueueSize = usePileup((state) => state.pileup.max_queue_size);
  const active = usePileup((state) => state.pileup.system_active);
  const recentEnds = usePileup((state) => state.recentEnds);
  const paused = usePileup((state) => state.pileup.registration_paused);
  const unit = usePileup((state) => state.station?.distance_unit ?? 'km');
  const bridges = usePileup((state) => state.bridges);
  // The calls the loggers say they are working (WSJT-X's DX call, N1MM's Entry Window).
  const loggerCalls = bridges?.bridges.flatMap((bridge) => (bridge.working_call === null ? [] : [bridge.working_call])) ?? [];
  const { workNext } = useActions();
  const rate = secondsPerQso(recentEnds, now);
  const hidden = queueSize - queue.length;

  return (
    <section className="card queue" aria-labelledby="queue-title">
      <div className="card-heading">
        <h2 id="queue-title">Queue</h2>
        <p className="muted">
          {queueSize} waiting · max {maxQueueSize}
          {rate !== null && <> · about {roughDuration(rate)} per QSO</>}
          {paused && <span className="badge paused"> registration paused</span>}
        </p>
      </div>
      <div className="button-row">
        <button type="button" className="primary" aria-keyshortcuts="N" disabled={queueSize === 0} onClick={() => void workNext()}>
          Work next <kbd aria-hidden="true">N</kbd>
        </button>
        <button type="button" className="danger" disabled={queueSize === 0} onClick={onClear}>
          Clear queue
        </button>
        <PauseRegistrationButton />
      </div>
      {queue.length === 0 ? (
        <p className="muted queue-empty">
          {active ? 'Nobody is waiting.' : 'Nobody is waiting. The system is inactive: callers cannot register.'}
        </p>
      ) : (
        <ol className="queue-list" aria-label="Waiting stations">
          {queue.map((entry) => (
            <QueueRow
              key={entry.callsign}
              entry={entry}
              now={now}
              rate={rate}
              unit={unit}
              inLogger={loggerCalls.includes(entry.callsign)}
              onBan={onBan}
            />
          ))}
        </ol>
      )}
      {hidden > 0 && <p className="muted">…and {hidden} more, not shown.</p>}
    </section>
  );
}

interface RowProps {
  entry: Waiting;
  now: number;
  /** Seconds per QSO, when known. */
  rate: number | null;
  unit: DistanceUnit;
  /** The call a logger says it is working. */
  inLogger: boolean;
  onBan: (callsign: string) => void;
}

/** One waiting station: who, from where (bearing and distance), how long, and what to do with it. */
function QueueRow({ entry, now, rate, unit, inLogger, onBan }: RowProps) {
  const { workSpecific, removeCallsign } = useActions();
  const where = bearingAndDistance(entry, unit);
  return (
    <li className={inLogger ? 'queue-row is-logger-call' : 'queue-row'}>
      <span className="queue-position">{entry.position}</span>
      <span className="queue-station">
        <span className="queue-name">
          <span className="queue-callsign">{entry.callsign}</span>
          {inLogger && (
            <span className="badge logger-call" title="Your logger is working this call">
              in the logger
            </span>
          )}
          {entry.dupe === true && (
            <span className="badge dupe" title="Already worked on this band and mode">
              dupe
            </span>
          )}
          {entry.no_shows !== undefined && (
            <span className="badge no-show" title="Times this station did not answer when called">
              no-show ×{entry.no_shows}
            </span>
          )}
          {where !== null && <span className="queue-bearing">{where}</span>}
        </span>
        <span className="queue-meta">
          {entry.country !== undefined && <>{entry.country} · </>}
          waiting {roughDuration(secondsSince(entry.timestamp, now))}
          {rate !== null && <> · turn in ≈ {roughDuration(entry.position * rate)}</>}
        </span>
      </span>
      <span className="queue-actions">
        <button type="button" onClick={() => void workSpecific(entry.callsign)}>
          Work this<span className="visually-hidden"> {entry.callsign}</span>
        </button>
        <button type="button" onClick={() => void removeCallsign(entry.callsign)}>
          Remove<span className="visually-hidden"> {entry.callsign}</span>
        </button>
        <button type="button" className="danger" onClick={() => onBan(entry.callsign)}>
          Ban<span className="visually-hidden"> {entry.callsign}</span>
        </button>
      </span>
    </li>
  );
}
