import { type FormEvent, useEffect, useState } from 'react';
import type { BridgeName, BridgeSettings, BridgeStatus } from '../../server/protocol/bridges.js';
import { useActions, usePileup } from '../store/react.js';
import { RigRow } from './RigRow.js';

/** What a bridge offers when switched on: the logger's own default port. */
const USUAL_PORTS: Record<BridgeName, number> = { wsjtx: 2237, n1mm: 12060 };
const LABELS: Record<BridgeName, string> = { wsjtx: 'WSJT-X / JTDX', n1mm: 'N1MM Logger+' };

function stateText(bridge: BridgeStatus): string {
  if (bridge.state === 'listening') return `listening on UDP ${bridge.address}:${bridge.port}`;
  if (bridge.state === 'error') return `not listening: ${bridge.error ?? 'unknown error'}`;
  return 'off';
}

function BridgeRow({ bridge, onSave }: { bridge: BridgeStatus; onSave: (port: number) => void }) {
  const [port, setPort] = useState(String(bridge.state === 'off' ? USUAL_PORTS[bridge.name] : bridge.port));
  const last = bridge.last_datagram;

  function submit(event: FormEvent) {
    event.preventDefault();
    onSave(Number(port));
  }

  return (
    <form className="bridge" onSubmit={submit} aria-label={`${LABELS[bridge.name]} bridge`}>
      <p>
        <strong>{LABELS[bridge.name]}</strong> — <span className={`bridge-state is-${bridge.state}`}>{stateText(bridge)}</span>
      </p>
      <p className="muted">
        {bridge.datagrams} datagrams, {bridge.ignored} ignored
        {bridge.not_allowed + bridge.rate_limited > 0 && `, ${bridge.not_allowed + bridge.rate_limited} dropped (not allowed or too many)`}
        {last !== null && (
          <>
            {' '}
            · last {last.kind}: {last.summary} ({last.from}, {last.at.slice(11, 19)} UTC)
          </>
        )}
        {bridge.working_call !== null && <> · working {bridge.working_call}</>}
      </p>
      <div className="inline-form">
        <label>
          UDP port
          <input type="number" min={1} max={65535} required value={port} onChange={(event) => setPort(event.target.value)} />
        </label>
        <button type="submit">
          {bridge.state === 'off' ? 'Switch on' : 'Save'}
          <span className="visually-hidden"> {LABELS[bridge.name]}</span>
        </button>
        {bridge.state !== 'off' && (
          <button type="button" onClick={() => onSave(0)}>
            Switch off<span className="visually-hidden"> {LABELS[bridge.name]}</span>
          </button>
        )}
      </div>
    </form>
  );
}

/** Who may send to the bridges: addresses or networks, comma-separated; empty for anyone. */
function AllowedSenders({ settings, onSave }: { settings: BridgeSettings; onSave: (senders: string[]) => void }) {
  const [text, setText] = useState(settings.allowed_senders.join(', '));

  function submit(event: FormEvent) {
    event.preventDefault();
    onSave(
      text
        .split(',')
        .map((entry) => entry.trim())
        .filter((entry) => entry !== ''),
    );
  }

  return (
    <form className="bridge" onSubmit={submit} aria-label="Allowed senders">
      <div className="inline-form">
        <label>
          Allowed senders
          <input type="text" value={text} placeholder="anyone, e.g. 192.168.1.0/24, 192.168.1.7" onChange={(event) => setText(event.target.value)} />
        </label>
        <button type="submit">
          Save<span className="visually-hidden"> allowed senders</span>
        </button>
      </div>
      <p className="muted">Only these addresses or networks may send to the bridges; this computer always may. Empty: anyone who can reach the ports.</p>
    </form>
  );
}

/** What the bridges do besides logging: the queue highlighted in WSJT-X, and following the logger's call. */
function LoggerOptions({ settings, onSave }: { settings: BridgeSettings; onSave: (changes: Partial<BridgeSettings>) => void }) {
  return (
    <div className="bridge" role="group" aria-label="Logger options">
      <label className="checkbox">
        <input type="checkbox" checked={settings.wsjtx_highlight} onChange={(event) => onSave({ wsjtx_highlight: event.target.checked })} />
        Highlight the queue in WSJT-X
      </label>
      <p className="muted">
        Waiting callers in amber, the current QSO in green, in WSJT-X’s decode windows (tick “Accept UDP requests” in WSJT-X’s Reporting settings).
      </p>
      <label className="checkbox">
        <input type="checkbox" checked={settings.follow_logger} onChange={(event) => onSave({ follow_logger: event.target.checked })} />
        Follow the logger
      </label>
      <p className="muted">When the call WSJT-X or N1MM is working is waiting in the queue, it becomes the current QSO.</p>
    </div>
  );
}

/** The UDP bridges to logging software: state, the last datagram seen, their ports and who may send. */
export function BridgesPanel() {
  const { loadBridges, setBridges } = useActions();
  // Read once; `bridges_update` broadcasts keep the counters and the last datagram current.
  const snapshot = usePileup((state) => state.bridges);
  useEffect(() => {
    void loadBridges();
  }, [loadBridges]);

  async function save(changes: Partial<BridgeSettings>) {
    await setBridges(changes);
  }

  return (
    <section className="settings-group" aria-labelledby="bridges-title">
      <h3 id="bridges-title">Logger bridges</h3>
      <p className="muted">WSJT-X, JTDX and N1MM Logger+ report QSOs and the frequency over UDP; rigctld reports the rig’s. See “Connect your logger” in the README.</p>
      {snapshot === null ? (
        <p className="muted">Bridge state unavailable.</p>
      ) : (
        <>
          {snapshot.bridges.map((bridge) => (
            <BridgeRow key={bridge.name} bridge={bridge} onSave={(port) => void save(bridge.name === 'wsjtx' ? { wsjtx_port: port } : { n1mm_port: port })} />
          ))}
          <LoggerOptions settings={snapshot.settings} onSave={(changes) => void save(changes)} />
          <AllowedSenders settings={snapshot.settings} onSave={(senders) => void save({ allowed_senders: senders })} />
          <RigRow rig={snapshot.rig} settings={snapshot.settings} onSave={(changes) => void save(changes)} />
        </>
      )}
    </section>
  );
}
