import { type FormEvent, useState } from 'react';
import type { BridgeSettings } from '../../server/protocol/bridges.js';
import type { RigStatus } from '../../server/protocol/rig.js';

type RigChanges = Partial<Pick<BridgeSettings, 'rigctld_enabled' | 'rigctld_host' | 'rigctld_port'>>;

function utcTime(iso: string): string {
  return `${iso.slice(11, 19)} UTC`;
}

function stateText(rig: RigStatus): string {
  const where = `${rig.host}:${rig.port}`;
  if (rig.state === 'connected') return `connected to rigctld at ${where}`;
  if (rig.state === 'connecting') return `connecting to rigctld at ${where}…`;
  if (rig.state === 'error') return `not connected: ${rig.error ?? 'unknown error'}${rig.retry_at === null ? '' : ` (trying again at ${utcTime(rig.retry_at)})`}`;
  return 'off';
}

/** What the rig said last, and what the station took from it. */
function readingText(rig: RigStatus): string | null {
  if (rig.frequency === null) return null;
  const mode = rig.rig_mode === null ? '' : ` ${rig.rig_mode}`;
  const kept = rig.rig_mode !== null && rig.mode === null ? ' (a data mode: the station keeps its own mode)' : '';
  const poll = rig.last_poll_at === null ? '' : `, polled ${utcTime(rig.last_poll_at)}`;
  return `Rig at ${rig.frequency} MHz${mode}${kept}${poll}; the station followed it ${rig.changes} times.`;
}

/** "Follow the rig": Hamlib's rigctld, its address and state, the rig's last reading. */
export function RigRow({ rig, settings, onSave }: { rig: RigStatus; settings: BridgeSettings; onSave: (changes: RigChanges) => void }) {
  const [host, setHost] = useState(settings.rigctld_host);
  const [port, setPort] = useState(String(settings.rigctld_port));
  const on = settings.rigctld_enabled;
  const reading = readingText(rig);

  function submit(event: FormEvent) {
    event.preventDefault();
    onSave({ rigctld_enabled: true, rigctld_host: host.trim(), rigctld_port: Number(port) });
  }

  return (
    <form className="bridge" onSubmit={submit} aria-label="Follow the rig (rigctld)">
      <p>
        <strong>Follow the rig (Hamlib rigctld)</strong> — <span className={`bridge-state is-${rig.state}`}>{stateText(rig)}</span>
      </p>
      {reading !== null && <p className="muted">{reading}</p>}
      {rig.state === 'connected' && rig.error !== null && <p className="bridge-state is-error">{rig.error}</p>}
      <div className="inline-form">
        <label>
          rigctld host
          <input type="text" required value={host} onChange={(event) => setHost(event.target.value)} />
        </label>
        <label>
          rigctld port
          <input type="number" min={1} max={65535} required value={port} onChange={(event) => setPort(event.target.value)} />
        </label>
        <button type="submit">
          {on ? 'Save' : 'Switch on'}
          <span className="visually-hidden"> follow the rig</span>
        </button>
        {on && (
          <button type="button" onClick={() => onSave({ rigctld_enabled: false })}>
            Switch off<span className="visually-hidden"> follow the rig</span>
          </button>
        )}
      </div>
      <p className="muted">The rig’s frequency and mode (polled about once a second) become the station’s whenever the rig changes.</p>
    </form>
  );
}
