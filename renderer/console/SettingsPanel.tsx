import { type FormEvent, useEffect, useState } from 'react';
import type { ListenSnapshot } from '../../server/protocol/listen.js';
import { useActions, usePileup } from '../store/react.js';
import { BridgesPanel } from './BridgesPanel.js';
import { ControlsPanel } from './ControlsPanel.js';
import { QUEUE_CAPACITY } from '../../server/protocol/rules.js';
import { RelayPanel } from './RelayPanel.js';
import { StationSettings } from './StationForm.js';
import { QrCode } from '../components/QrCode.js';

function MaxQueueSizeForm() {
  const maxQueueSize = usePileup((state) => state.pileup.max_queue_size);
  const { setMaxQueueSize } = useActions();
  const [draft, setDraft] = useState(String(maxQueueSize));
  useEffect(() => setDraft(String(maxQueueSize)), [maxQueueSize]);

  function submit(event: FormEvent) {
    event.preventDefault();
    void setMaxQueueSize(Number(draft));
  }

  return (
    <form className="settings-group" onSubmit={submit} aria-labelledby="max-queue-title">
      <h3 id="max-queue-title">Queue size</h3>
      <div className="inline-form">
        <label>
          Maximum stations waiting
          <input type="number" min={QUEUE_CAPACITY.min} max={QUEUE_CAPACITY.max} step={1} required value={draft} onChange={(event) => setDraft(event.target.value)} />
        </label>
        <button type="submit">
          Save<span className="visually-hidden"> queue size</span>
        </button>
      </div>
      <p className="muted">Stations already waiting keep their place when you lower it.</p>
    </form>
  );
}

function CredentialsForm() {
  const currentUsername = usePileup((state) => state.info?.username ?? '');
  const { setCredentials } = useActions();
  const [username, setUsername] = useState(currentUsername);
  useEffect(() => setUsername(currentUsername), [currentUsername]);
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const mismatch = repeat !== '' && password !== repeat;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (password !== repeat) return;
    if (await setCredentials(username.trim(), password)) {
      setPassword('');
      setRepeat('');
    }
  }

  return (
    <form className="settings-group" onSubmit={(event) => void submit(event)} aria-labelledby="credentials-title">
      <h3 id="credentials-title">Operator login</h3>
      <div className="stacked-form">
        <label>
          Username
          <input autoComplete="username" required maxLength={64} value={username} onChange={(event) => setUsername(event.target.value)} />
        </label>
        <label>
          New password
          <input
            type="password"
            autoComplete="new-password"
            required
            minLength={8}
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        </label>
        <label>
          Repeat new password
          <input
            type="password"
            autoComplete="new-password"
            required
            minLength={8}
            value={repeat}
            aria-invalid={mismatch}
            aria-describedby="credentials-hint"
            onChange={(event) => setRepeat(event.target.value)}
          />
        </label>
      </div>
      <p id="credentials-hint" className={mismatch ? 'field-error' : 'muted'}>
        {mismatch
          ? 'The two passwords differ.'
          : 'At least 8 characters. Every session ends: browsers and logging software log in again.'}
      </p>
      <button type="submit" disabled={mismatch}>
        Change login
      </button>
    </form>
  );
}

function showAddress(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** The bind address and port stored for the next start; the running server keeps its own until then. */
function ListenForm() {
  const { loadListen, setListen } = useActions();
  const [snapshot, setSnapshot] = useState<ListenSnapshot | null>(null);
  const [host, setHost] = useState('');
  const [port, setPort] = useState('');
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    let live = true;
    void loadListen().then((next) => {
      // An older server (or a test link) may answer without the fields.
      if (!live || next === null || typeof next.host !== 'string' || typeof next.port !== 'number') return;
      setSnapshot(next);
      setHost(next.host);
      setPort(String(next.port));
    });
    return () => {
      live = false;
    };
  }, [loadListen]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const next = await setListen({ host: host.trim(), port: Number(port) });
    if (next !== null) {
      setSnapshot(next);
      setSaved(true);
    }
  }

  return (
    <form onSubmit={(event) => void submit(event)} aria-labelledby="listen-title">
      <h4 id="listen-title">Listen address</h4>
      {snapshot !== null && (
        <p>
          In use now: <code>{showAddress(snapshot.active_host, snapshot.active_port)}</code>
        </p>
      )}
      <div className="inline-form">
        <label>
          Bind address
          <input
            required
            maxLength={255}
            spellCheck={false}
            placeholder="0.0.0.0"
            value={host}
            onChange={(event) => {
              setHost(event.target.value);
              setSaved(false);
            }}
          />
        </label>
        <label>
          Port
          <input
            type="number"
            min={1}
            max={65535}
            step={1}
            required
            value={port}
            onChange={(event) => {
              setPort(event.target.value);
              setSaved(false);
            }}
          />
        </label>
        <button type="submit">
          Save<span className="visually-hidden"> listen address</span>
        </button>
      </div>
      <p className="muted" role="status">
        {saved
          ? 'Saved: applies after restart.'
          : 'Applies after a restart. 0.0.0.0 lets the LAN reach it; 127.0.0.1 only this computer. --host and --port, when given, win.'}
      </p>
    </form>
  );
}

function NetworkInfo() {
  const info = usePileup((state) => state.info);
  return (
    <section className="settings-group" aria-labelledby="network-title">
      <h3 id="network-title">Network</h3>
      <p>Callers register at the public page:</p>
      <ul className="url-list">
        {(info?.publicUrls ?? []).map((url) => (
          <li key={url}>
            <code>{url}</code>
          </li>
        ))}
      </ul>
      {info?.publicUrls?.[0] !== undefined && <QrCode text={info.publicUrls[0]} label={`QR code of the public page, ${info.publicUrls[0]}`} />}
      <p>The operator console (another computer or a phone):</p>
      <ul className="url-list">
        {(info?.consoleUrls ?? []).map((url) => (
          <li key={url}>
            <code>{url}</code>
          </li>
        ))}
      </ul>
      <p>Logging software connects to:</p>
      <ul className="url-list">
        {(info?.wsUrls ?? []).map((url) => (
          <li key={url}>
            <code>{url}</code>
          </li>
        ))}
      </ul>
      <ListenForm />
      {info !== null && info.version !== '' && <p className="muted">Server version {info.version}</p>}
    </section>
  );
}

export function SettingsPanel() {
  return (
    <div className="settings">
      <StationSettings />
      <MaxQueueSizeForm />
      <ControlsPanel />
      <CredentialsForm />
      <NetworkInfo />
      <RelayPanel />
      <BridgesPanel />
    </div>
  );
}
