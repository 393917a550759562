import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { registrationOpen } from '../../server/protocol/rules.js';
import { type RegisterOutcome } from '../store/pileup-store.js';
import type { ConnectionState } from '../transport/server-link.js';
import { useActions, usePileup } from '../store/react.js';
import { CALLSIGN_INPUT } from './callsign-input.js';
import { durationText, refusalText } from './words.js';

type Closed = 'station_offline' | 'offline' | 'inactive' | 'paused' | 'full';

function closedReason(active: boolean, paused: boolean, connection: ConnectionState['status']): Closed {
  if (connection === 'station-offline') return 'station_offline';
  if (connection !== 'online') return 'offline';
  if (!active) return 'inactive';
  if (paused) return 'paused';
  return 'full';
}

/**
 * Registers a callsign (and, if the caller gives one, their locator). Both are checked here with
 * the server's own rules first, so a typo is explained at once; after a success the field is
 * emptied for the next one (club helpers register many).
 */
export function RegisterForm({ onRegistered }: { onRegistered: (callsign: string) => void }) {
  const { t } = useTranslation();
  const { register } = useActions();
  const pileup = usePileup((state) => state.pileup);
  const connection = usePileup((state) => state.connection.status);
  const online = connection === 'online';
  const synced = usePileup((state) => state.synced);
  const [callsign, setCallsign] = useState('');
  const [locator, setLocator] = useState('');
  const [outcome, setOutcome] = useState<RegisterOutcome | null>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const open = online && synced && registrationOpen(pileup);
  const locatorWrong = outcome !== null && !outcome.ok && outcome.refusal.code === 'NOT_A_LOCATOR';

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    const result = await register(callsign, locator);
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
      <h2 id="register-title">{t('register.title')}</h2>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <div className="register-fields">
          <label htmlFor="callsign-input">
            {t('register.callsign')}
            <input
              id="callsign-input"
              ref={input}
              {...CALLSIGN_INPUT}
              value={callsign}
              onChange={(event) => setCallsign(event.target.value)}
              aria-invalid={outcome !== null && !outcome.ok && !locatorWrong}
              aria-describedby="register-result"
              disabled={!open}
            />
          </label>
          <label htmlFor="locator-input">
            {t('register.locator')}
            <input
              id="locator-input"
              className="locator-input"
              value={locator}
              onChange={(event) => setLocator(event.target.value)}
              autoComplete="off"
              spellCheck={false}
              translate="no"
              maxLength={8}
              placeholder="JO62qm"
              aria-invalid={locatorWrong}
              aria-describedby="register-result"
              disabled={!open}
            />
          </label>
        </div>
        <button type="submit" className="primary" disabled={!open || busy}>
          {t('register.submit')}
        </button>
      </form>
      {!open && synced && <p className="closed-reason">{t(`closed.${closedReason(pileup.system_active, pileup.registration_paused, connection)}`)}</p>}
      <div id="register-result" role="status">
        {outcome !== null && (
          <p className={outcome.ok ? 'register-ok' : 'field-error'}>
            {outcome.ok
              ? [
                  t('register.success', { callsign: outcome.callsign, position: outcome.position, total: outcome.total }),
                  outcome.estimatedWaitS === null ? '' : t('register.wait', { wait: durationText(t, outcome.estimatedWaitS) }),
                ]
                  .filter((part) => part !== '')
                  .join(' ')
              : refusalText(t, outcome.refusal)}
          </p>
        )}
      </div>
    </section>
  );
}
