import { type FormEvent, useEffect, useState } from 'react';
import type { BridgeName, BridgeStatus } from '../../server/protocol/bridges.js';
import type { BridgesSnapshot } from '../store/pileup-store.js';
import { useActions } from '../store/react.js';

/** What a bridge offers when switched on: the logger's own default port. */
const USUAL_PORTS: Record<BridgeName, number> = { wsjtx: 2237, n1mm: 12060 };
const LABELS: Record<BridgeName, string> = { wsjtx: 'WSJT-X / JTDX', n1mm: 'N1MM Logger+' };
/** Counters and the last datagram change while the operator looks: read them again this often. */
const REFRESH_MS = 5000;

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

/** The UDP bridges to logging software: state, the last datagram seen, and their ports. */
export function BridgesPanel() {
  const { loadBridges, setBridges } = useActions();
  const [snapshot, setSnapshot] = useState<BridgesSnapshot | null>(null);

  useEffect(() => {
    let live = true;
    const refresh = () => void loadBridges().then((next) => live && setSnapshot(next));
    refresh();
    const timer = setInterval(refresh, REFRESH_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [loadBridges]);

  async function save(name: BridgeStatus['name'], port: number) {
    if (await setBridges(name === 'wsjtx' ? { wsjtx_port: port } : { n1mm_port: port })) setSnapshot(await loadBridges());
  }

  return (
    <section className="settings-group" aria-labelledby="bridges-title">
      <h3 id="bridges-title">Logger bridges</h3>
      <p className="muted">WSJT-X, JTDX and N1MM Logger+ report QSOs and the frequency over UDP. See “Connect your logger” in the README.</p>
      {snapshot === null ? (
        <p className="muted">Bridge state unavailable.</p>
      ) : (
        snapshot.bridges.map((bridge) => <BridgeRow key={bridge.name} bridge={bridge} onSave={(port) => void save(bridge.name, port)} />)
      )}
    </section>
  );
}
