import { useNow } from '../components/use-now.js';
import { frequencyLabel, sourceLabel } from '../components/qso-labels.js';
import { bearingAndDistance } from '../format/distance.js';
import { elapsed, secondsSince } from '../format/time.js';
import { useActions, usePileup } from '../store/react.js';

export function CurrentQsoCard() {
  const now = useNow();
  const qso = usePileup((state) => state.pileup.current_qso);
  const stationFrequency = usePileup((state) => state.pileup.frequency);
  const stationMode = usePileup((state) => state.pileup.mode);
  const unit = usePileup((state) => state.station?.distance_unit ?? 'km');
  const { completeQso, cancelQso, noShow } = useActions();

  if (qso === null) {
    return (
      <section className="card current-qso is-idle" aria-labelledby="current-qso-title">
        <h2 id="current-qso-title">Current QSO</h2>
        <p className="muted">No QSO in progress. Press N to work the next station.</p>
      </section>
    );
  }

  // The QSO's own frequency (sent by logging software) wins over the station's.
  const onAir = frequencyLabel(qso.frequency ?? stationFrequency, qso.mode ?? stationMode);
  const where = bearingAndDistance(qso, unit);
  return (
    <section className="card current-qso" aria-labelledby="current-qso-title">
      <h2 id="current-qso-title">Current QSO</h2>
      <div className="qso-main">
        <p className="qso-callsign">{qso.callsign}</p>
        <span className="badge">
          <span className="visually-hidden">Source: </span>
          {sourceLabel(qso.source)}
        </span>
      </div>
      <dl className="qso-facts">
        {qso.country !== undefined && (
          <div>
            <dt>Country</dt>
            <dd>{qso.country}</dd>
          </div>
        )}
        {where !== null && (
          <div>
            <dt>Beam</dt>
            <dd className="qso-bearing">{where}</dd>
          </div>
        )}
        {onAir !== null && (
          <div>
            <dt>On</dt>
            <dd>{onAir}</dd>
          </div>
        )}
        <div>
          <dt>Elapsed</dt>
          <dd>
            <time className="qso-elapsed">{elapsed(secondsSince(qso.started_at, now))}</time>
          </dd>
        </div>
        {(qso.rst_sent !== undefined || qso.rst_received !== undefined) && (
          <div>
            <dt>RST</dt>
            <dd>
              {qso.rst_sent ?? '—'} / {qso.rst_received ?? '—'}
            </dd>
          </div>
        )}
      </dl>
      <div className="button-row">
        <button type="button" className="primary" aria-keyshortcuts="C" onClick={() => void completeQso()}>
          Complete <kbd aria-hidden="true">C</kbd>
        </button>
        <button type="button" aria-keyshortcuts="X" onClick={() => void cancelQso()}>
          Cancel <kbd aria-hidden="true">X</kbd>
        </button>
        <button
          type="button"
          aria-keyshortcuts="S"
          title="Did not answer: back in the queue behind the next callers, out after the last strike"
          onClick={() => void noShow()}
        >
          No-show <kbd aria-hidden="true">S</kbd>
        </button>
      </div>
    </section>
  );
}
