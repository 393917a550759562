import { type FormEvent, useCallback, useEffect, useState } from 'react';
import type { Controls } from '../../server/protocol/entities.js';
import { useActions, usePileup } from '../store/react.js';

/** The pause switch, as a button that says what it will do. */
export function PauseRegistrationButton() {
  const paused = usePileup((state) => state.pileup.registration_paused);
  const { setRegistrationPaused } = useActions();
  return (
    <button type="button" aria-pressed={paused} onClick={() => void setRegistrationPaused(!paused)}>
      {paused ? 'Resume registration' : 'Pause registration'}
    </button>
  );
}

function RulesForm({ controls, onSaved }: { controls: Controls; onSaved: () => void }) {
  const { setRegistrationRules } = useActions();
  const [count, setCount] = useState(String(controls.rate_limit_count));
  const [windowS, setWindowS] = useState(String(controls.rate_limit_window_s));
  const [exempt, setExempt] = useState(controls.rate_limit_exempt_loopback);
  const [worked, setWorked] = useState(String(controls.worked_recently_minutes));

  async function submit(event: FormEvent) {
    event.preventDefault();
    const saved = await setRegistrationRules({
      rate_limit_count: Number(count),
      rate_limit_window_s: Number(windowS),
      rate_limit_exempt_loopback: exempt,
      worked_recently_minutes: Number(worked),
    });
    if (saved) onSaved();
  }

  return (
    <form className="stacked-form" onSubmit={(event) => void submit(event)} aria-label="Registration rules">
      <label>
        Registrations per address (0 = no limit)
        <input type="number" min={0} max={1000} required value={count} onChange={(event) => setCount(event.target.value)} />
      </label>
      <label>
        …per how many seconds
        <input type="number" min={1} max={86400} required value={windowS} onChange={(event) => setWindowS(event.target.value)} />
      </label>
      <label>
        <input type="checkbox" checked={exempt} onChange={(event) => setExempt(event.target.checked)} /> Never limit this computer
      </label>
      <label>
        Refuse stations worked in the last … minutes (0 = off)
        <input type="number" min={0} max={1440} required value={worked} onChange={(event) => setWorked(event.target.value)} />
      </label>
      <button type="submit">Save rules</button>
    </form>
  );
}

function BanList({ controls, onChanged }: { controls: Controls; onChanged: () => void }) {
  const { banCallsign, unbanCallsign } = useActions();
  const [callsign, setCallsign] = useState('');
  const [reason, setReason] = useState('');

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (await banCallsign(callsign.trim().toUpperCase(), reason)) {
      setCallsign('');
      setReason('');
      onChanged();
    }
  }

  return (
    <>
      <form className="inline-form" onSubmit={(event) => void submit(event)} aria-label="Ban a callsign">
        <label>
          Callsign
          <input required maxLength={20} value={callsign} onChange={(event) => setCallsign(event.target.value)} />
        </label>
        <label>
          Reason (only you see it)
          <input maxLength={200} value={reason} onChange={(event) => setReason(event.target.value)} />
        </label>
        <button type="submit">Ban</button>
      </form>
      {controls.bans.length === 0 ? (
        <p className="muted">Nobody is banned.</p>
      ) : (
        <ul className="ban-list" aria-label="Banned callsigns">
          {controls.bans.map((ban) => (
            <li key={ban.callsign}>
              <strong>{ban.callsign}</strong>
              {ban.reason !== null && <span className="muted"> — {ban.reason}</span>}{' '}
              <button type="button" onClick={() => void unbanCallsign(ban.callsign).then((done) => done && onChanged())}>
                Unban<span className="visually-hidden"> {ban.callsign}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

/** The form starts over from the server's values whenever they change. */
function rulesKey(c: Controls): string {
  return [c.rate_limit_count, c.rate_limit_window_s, c.rate_limit_exempt_loopback, c.worked_recently_minutes].join('|');
}

/** Abuse controls: pause, bans and the registration rules, read from the server when shown. */
export function ControlsPanel() {
  const { loadControls } = useActions();
  const paused = usePileup((state) => state.pileup.registration_paused);
  const [controls, setControls] = useState<Controls | null>(null);
  const reload = useCallback(() => void loadControls().then(setControls), [loadControls]);
  useEffect(reload, [reload, paused]);

  return (
    <section className="settings-group" aria-labelledby="controls-title">
      <h3 id="controls-title">Pileup control</h3>
      <p className="muted">
        Pausing closes registration and keeps the queue; switching the system off empties it.
      </p>
      <PauseRegistrationButton />
      {controls === null ? (
        <p className="muted">Loading the controls…</p>
      ) : (
        <>
          <RulesForm key={rulesKey(controls)} controls={controls} onSaved={reload} />
          <BanList controls={controls} onChanged={reload} />
        </>
      )}
    </section>
  );
}
