import { type FormEvent, useEffect, useState } from 'react';
import type { RelayAuthMethod, RelayOverrideField, RelaySettingsChanges, RelaySnapshot, RelayStatus } from '../../server/protocol/relay.js';
import { relaySummary } from '../../server/protocol/relay.js';
import { useActions, usePileup } from '../store/react.js';

interface Draft {
  enabled: boolean;
  servers: string;
  station_id: string;
  auth: RelayAuthMethod;
  user: string;
  /** Empty: keep the stored secret. */
  password: string;
  token: string;
  creds_file: string;
  callsign_limit_count: string;
  callsign_limit_window_s: string;
  registrations_per_minute: string;
}

const AUTH_LABELS: Record<RelayAuthMethod, string> = {
  none: 'None (an open NATS server)',
  user: 'User and password',
  token: 'Token',
  creds: '.creds file (NATS accounts)',
};

function draftOf({ settings }: RelaySnapshot): Draft {
  return {
    enabled: settings.enabled,
    servers: settings.servers.join(', '),
    station_id: settings.station_id ?? '',
    auth: settings.auth,
    user: settings.user ?? '',
    password: '',
    token: '',
    creds_file: settings.creds_file ?? '',
    callsign_limit_count: String(settings.callsign_limit_count),
    callsign_limit_window_s: String(settings.callsign_limit_window_s),
    registrations_per_minute: String(settings.registrations_per_minute),
  };
}

const orNull = (value: string) => (value.trim() === '' ? null : value.trim());

/** What the form asks to store: fields the start-up flags decide are left out, empty secrets are kept. */
function changesOf(draft: Draft, overridden: ReadonlySet<RelayOverrideField>): RelaySettingsChanges {
  const changes: RelaySettingsChanges = {
    enabled: draft.enabled,
    servers: draft.servers.split(',').map((url) => url.trim()).filter((url) => url !== ''),
    station_id: orNull(draft.station_id),
    auth: draft.auth,
    user: orNull(draft.user),
    creds_file: orNull(draft.creds_file),
    callsign_limit_count: Number(draft.callsign_limit_count),
    callsign_limit_window_s: Number(draft.callsign_limit_window_s),
    registrations_per_minute: Number(draft.registrations_per_minute),
    ...(draft.password !== '' && { password: draft.password }),
    ...(draft.token !== '' && { token: draft.token }),
  };
  for (const field of overridden) delete changes[field];
  return changes;
}

function stateLine(status: RelayStatus): string {
  const where = status.state === 'connected' && status.server !== null ? ` via ${status.server}` : '';
  const counts =
    status.state === 'off'
      ? ''
      : ` · ${status.requests_answered} requests answered, ${status.events_published} events published` +
        (status.requests_dropped > 0 ? `, ${status.requests_dropped} dropped (flood)` : '');
  return `${relaySummary(status)}${where}${counts}`;
}

/** The public relay: where the station connects out to, as whom, and its own registration limits. */
export function RelayPanel() {
  const { loadRelay, setRelay } = useActions();
  const live = usePileup((state) => state.relay);
  const [snapshot, setSnapshot] = useState<RelaySnapshot | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);

  useEffect(() => {
    let current = true;
    void loadRelay().then((next) => {
      if (!current || next === null) return;
      setSnapshot(next);
      setDraft(draftOf(next));
    });
    return () => {
      current = false;
    };
  }, [loadRelay]);

  if (snapshot === null || draft === null) {
    return (
      <section className="settings-group" aria-labelledby="relay-title">
        <h3 id="relay-title">Public relay</h3>
        <p className="muted">Relay settings unavailable.</p>
      </section>
    );
  }

  const overridden = new Set(snapshot.overridden);
  const fixed = (field: RelayOverrideField) => overridden.has(field);
  const status = live ?? snapshot.status;
  const edit = (changes: Partial<Draft>) => setDraft({ ...draft, ...changes });

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (draft === null) return;
    const saved = await setRelay(changesOf(draft, overridden));
    if (saved !== null) {
      setSnapshot(saved);
      setDraft(draftOf(saved));
    }
  }

  return (
    <section className="settings-group" aria-labelledby="relay-title">
      <h3 id="relay-title">Public relay</h3>
      <p className="muted">
        Callers anywhere register through a NATS relay this computer connects out to (no port forwarding). See “Go public” in the
        README.
      </p>
      <p role="status" aria-label="Relay state" className={`relay-state is-${status.state}`}>
        {stateLine(status)}
      </p>
      <form className="stacked-form" onSubmit={(event) => void submit(event)} aria-label="Relay settings">
        <label>
          <input type="checkbox" checked={draft.enabled} disabled={fixed('enabled')} onChange={(event) => edit({ enabled: event.target.checked })} />{' '}
          Connect to the public relay
        </label>
        <label>
          NATS server URL(s)
          <input
            spellCheck={false}
            placeholder="tls://relay.example.org:4222"
            value={draft.servers}
            disabled={fixed('servers')}
            onChange={(event) => edit({ servers: event.target.value })}
          />
        </label>
        <label>
          Station id
          <input
            spellCheck={false}
            maxLength={32}
            placeholder="ea8abc"
            value={draft.station_id}
            disabled={fixed('station_id')}
            onChange={(event) => edit({ station_id: event.target.value })}
          />
        </label>
        <label>
          Login
          <select value={draft.auth} disabled={fixed('auth')} onChange={(event) => edit({ auth: event.target.value as RelayAuthMethod })}>
            {(Object.keys(AUTH_LABELS) as RelayAuthMethod[]).map((method) => (
              <option key={method} value={method}>
                {AUTH_LABELS[method]}
              </option>
            ))}
          </select>
        </label>
        {draft.auth === 'user' && (
          <>
            <label>
              User
              <input autoComplete="off" spellCheck={false} value={draft.user} disabled={fixed('user')} onChange={(event) => edit({ user: event.target.value })} />
            </label>
            <label>
              Password
              <input
                type="password"
                autoComplete="new-password"
                placeholder={snapshot.settings.password_set ? 'saved (leave empty to keep it)' : ''}
                value={draft.password}
                disabled={fixed('password')}
                onChange={(event) => edit({ password: event.target.value })}
              />
            </label>
          </>
        )}
        {draft.auth === 'token' && (
          <label>
            Token
            <input
              type="password"
              autoComplete="off"
              placeholder={snapshot.settings.token_set ? 'saved (leave empty to keep it)' : ''}
              value={draft.token}
              disabled={fixed('token')}
              onChange={(event) => edit({ token: event.target.value })}
            />
          </label>
        )}
        {draft.auth === 'creds' && (
          <label>
            .creds file
            <input
              spellCheck={false}
              placeholder="/home/op/station.creds"
              value={draft.creds_file}
              disabled={fixed('creds_file')}
              onChange={(event) => edit({ creds_file: event.target.value })}
            />
          </label>
        )}
        <label>
          Registrations of one callsign through the relay (0 = no limit)
          <input type="number" min={0} max={1000} required value={draft.callsign_limit_count} onChange={(event) => edit({ callsign_limit_count: event.target.value })} />
        </label>
        <label>
          …per how many seconds
          <input type="number" min={1} max={86400} required value={draft.callsign_limit_window_s} onChange={(event) => edit({ callsign_limit_window_s: event.target.value })} />
        </label>
        <label>
          Registrations through the relay per minute, all callers (0 = no limit)
          <input type="number" min={0} max={100000} required value={draft.registrations_per_minute} onChange={(event) => edit({ registrations_per_minute: event.target.value })} />
        </label>
        {overridden.size > 0 && <p className="muted">Greyed-out fields are set at start-up (--relay, --station-id, PILEUP_RELAY_*) and win.</p>}
        <button type="submit">
          Save<span className="visually-hidden"> relay settings</span>
        </button>
      </form>
    </section>
  );
}
