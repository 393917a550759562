import { type FormEvent, useRef, useState } from 'react';
import type { ConnectionState } from '../transport/server-link.js';
import { roughDuration } from '../format/time.js';
import { registrationOpen } from '../../server/protocol/rules.js';
import { type RegisterOutcome } from '../store/pileup-store.js';
import { useActions, usePileup } from '../store/react.js';

function closedReason(active: boolean, paused: boolean, connection: ConnectionState['status']): string | null {
  if (connection === 'station-offline') return 'The station is offline right now: the queue below is as it was last heard. This page updates by itself.';
  if (connection !== 'online') return 'Waiting for the connection to the server…';
  if (!active) return 'The operator is not taking calls right now. This page updates by itself.';
  if (paused) return 'Registration is paused for a moment. This page updates by itself.';
  return 'The queue is full. Please try again in a few minutes; this page updates by itself.';
}

function successText(outcome: Extract<RegisterOutcome, { ok: true }>): string {
  const wait = outcome.estimatedWaitS === null ? '' : ` Estimated wait: about ${roughDuration(outcome.estimatedWaitS)}.`;
  return `${outcome.callsign} is in the queue at position ${outcome.position} of ${outcome.total}.${wait}`;
}

/**
 * Registers a callsign. The callsign is checked here with the server's own rule first, so a typo
 * is explained at once; after a success the field is emptied for the next one (club helpers
 * register many).
 */
export function RegisterForm({ onRegistered }: { onRegistered: (callsign: string) => void }) {
  const { register } = useActions();
  const pileup = usePileup((state) => state.pileup);
  const connection = usePileup((state) => state.connection.status);
  const online = connection === 'online';
  const synced = usePileup((state) => state.synced);
  const [callsign, setCallsign] = useState('');
  const [outcome, setOutcome] = useState<RegisterOutcome | null>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const open = online && synced && registrationOpen(pileup);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    const result = await register(callsign);
    setBusy(false);
    setOutcome(result);
    if (result.ok) {
      setCallsign('');
      onRegistered(result.callsign);
    }
    input.current?.focus();
  }

  return (
    <section className="card register" aria-labelledby="register-title">
      <h2 id="register-title">Join the queue</h2>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <label htmlFor="callsign-input">Your callsign</label>
        <div className="inline-form">
          <input
            id="callsign-input"
            ref={input}
            value={callsign}
            onChange={(event) => setCallsign(event.target.value)}
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            maxLength={32}
            placeholder="EA1ABC"
            aria-invalid={outcome !== null && !outcome.ok}
            aria-describedby="register-result"
            disabled={!open}
          />
          <button type="submit" className="primary" disabled={!open || busy}>
            Join the queue
          </button>
        </div>
      </form>
      {!open && synced && <p className="closed-reason">{closedReason(pileup.system_active, pileup.registration_paused, connection)}</p>}
      <div id="register-result" role="status">
        {outcome !== null && (
          <p className={outcome.ok ? 'register-ok' : 'field-error'}>{outcome.ok ? successText(outcome) : outcome.message}</p>
        )}
      </div>
    </section>
  );
}
