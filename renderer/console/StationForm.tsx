import { type FormEvent, useMemo, useState } from 'react';
import { normalizeCallsign } from '../../server/protocol/callsign.js';
import { LOCATOR_PROBLEM, normalizeLocator } from '../../server/protocol/locator.js';
import { type DistanceUnit, NO_SHOW_LIMITS, type SoundEvent, soundEvents } from '../../server/protocol/rules.js';
import type { StationSnapshot } from '../../server/protocol/station.js';
import { browserAudio, createSoundPlayer } from '../sound/alerts.js';
import { useActions, usePileup } from '../store/react.js';

const SOUND_LABELS: Record<SoundEvent, string> = {
  first_caller: 'A station registers into an empty queue',
  queue_full: 'The queue becomes full',
  bridge_down: 'A logger bridge stops listening',
  relay_down: 'The public relay loses its connection',
  connection_lost: 'This console loses the server',
};

/** The station: callsign and locator (bearings, map, relay id), unit, beam heading, what callers see, the no-show rule. */
function StationDetails({ station }: { station: StationSnapshot }) {
  const { setStation } = useActions();
  const [callsign, setCallsign] = useState(station.callsign ?? '');
  const [locator, setLocator] = useState(station.locator ?? '');
  const [unit, setUnit] = useState<DistanceUnit>(station.distance_unit);
  const [beam, setBeam] = useState(station.beam_heading === null ? '' : String(station.beam_heading));
  const [showBeam, setShowBeam] = useState(station.public_beam_heading);
  const [showTimes, setShowTimes] = useState(station.public_worked_times);
  const [showRecent, setShowRecent] = useState(station.public_recent_qsos);
  const [requeueAfter, setRequeueAfter] = useState(String(station.no_show_requeue_after));
  const [strikes, setStrikes] = useState(String(station.no_show_strikes));
  const callsignProblem = callsign.trim() !== '' && normalizeCallsign(callsign) === null ? 'Not a valid callsign (e.g. EA8/DL1ABC).' : null;
  const locatorProblem = locator.trim() !== '' && normalizeLocator(locator) === null ? `The locator ${LOCATOR_PROBLEM}.` : null;

  function submit(event: FormEvent) {
    event.preventDefault();
    if (callsignProblem !== null || locatorProblem !== null) return;
    void setStation({
      callsign: callsign.trim() === '' ? null : callsign,
      locator: locator.trim() === '' ? null : locator,
      distance_unit: unit,
      beam_heading: beam.trim() === '' ? null : Number(beam),
      public_beam_heading: showBeam,
      public_worked_times: showTimes,
      public_recent_qsos: showRecent,
      no_show_requeue_after: Number(requeueAfter),
      no_show_strikes: Number(strikes),
    });
  }

  return (
    <form className="settings-group" onSubmit={submit} aria-labelledby="station-title">
      <h3 id="station-title">Station</h3>
      <div className="stacked-form">
        <label>
          Callsign
          <input
            maxLength={20}
            spellCheck={false}
            autoCapitalize="characters"
            placeholder="EA8/DL1ABC"
            value={callsign}
            aria-invalid={callsignProblem !== null}
            onChange={(event) => setCallsign(event.target.value)}
          />
        </label>
        <label>
          Locator
          <input
            maxLength={8}
            spellCheck={false}
            placeholder="JO62qm"
            value={locator}
            aria-invalid={locatorProblem !== null}
            onChange={(event) => setLocator(event.target.value)}
          />
        </label>
        <label>
          Distances in
          <select value={unit} onChange={(event) => setUnit(event.target.value as DistanceUnit)}>
            <option value="km">km</option>
            <option value="mi">miles</option>
          </select>
        </label>
        <label>
          Beam heading (°)
          <input type="number" min={0} max={359} step={1} placeholder="none" value={beam} onChange={(event) => setBeam(event.target.value)} />
        </label>
      </div>
      {(callsignProblem ?? locatorProblem) !== null && <p className="field-error">{callsignProblem ?? locatorProblem}</p>}
      <p className="muted">
        The locator centres the map and gives the bearing and distance of every caller; the callsign is the default station id
        {station.station_id !== null && (
          <>
            {' '}
            (<code>{station.station_id}</code>)
          </>
        )}
        .
      </p>
      <fieldset>
        <legend>Callers see</legend>
        <label className="checkbox">
          <input type="checkbox" checked={showBeam} onChange={(event) => setShowBeam(event.target.checked)} /> the beam heading
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={showRecent} onChange={(event) => setShowRecent(event.target.checked)} /> the recently
          worked stations
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={showTimes} onChange={(event) => setShowTimes(event.target.checked)} /> when they were
          worked (UTC)
        </label>
      </fieldset>
      <fieldset>
        <legend>No-show</legend>
        <div className="inline-form">
          <label>
            Back behind the next
            <input
              type="number"
              min={NO_SHOW_LIMITS.requeueAfter.min}
              max={NO_SHOW_LIMITS.requeueAfter.max}
              required
              value={requeueAfter}
              onChange={(event) => setRequeueAfter(event.target.value)}
            />
          </label>
          <label>
            Out after (no-shows)
            <input
              type="number"
              min={NO_SHOW_LIMITS.strikes.min}
              max={NO_SHOW_LIMITS.strikes.max}
              required
              value={strikes}
              onChange={(event) => setStrikes(event.target.value)}
            />
          </label>
        </div>
      </fieldset>
      <button type="submit">Save station</button>
    </form>
  );
}

/** Each sound on or off, and a button to hear it. */
function Sounds({ station }: { station: StationSnapshot }) {
  const { setStation } = useActions();
  const player = useMemo(() => createSoundPlayer(browserAudio), []);
  return (
    <section className="settings-group" aria-labelledby="sounds-title">
      <h3 id="sounds-title">Sounds</h3>
      <ul className="sound-list">
        {soundEvents.map((event) => (
          <li key={event}>
            <label className="checkbox">
              <input
                type="checkbox"
                checked={station.sounds[event]}
                onChange={(change) => void setStation({ sounds: { [event]: change.target.checked } })}
              />{' '}
              {SOUND_LABELS[event]}
            </label>
            <button type="button" onClick={() => player.play(event)}>
              Play<span className="visually-hidden"> the sound for: {SOUND_LABELS[event]}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The station settings, read from the server (`admin_get_station`); the forms start over when they change. */
export function StationSettings() {
  const station = usePileup((state) => state.station);
  if (station === null) return <p className="muted">Loading the station settings…</p>;
  return (
    <>
      <StationDetails key={JSON.stringify({ ...station, sounds: null })} station={station} />
      <Sounds station={station} />
    </>
  );
}
