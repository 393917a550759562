import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { utcDateTime } from '../format/time.js';
import type { LogSearchOutcome } from '../store/pileup-store.js';
import { useActions } from '../store/react.js';
import { CALLSIGN_INPUT } from './callsign-input.js';
import { refusalText } from './words.js';

/** "Am I in the log?": the bands and modes a call was worked on; the time only when the operator shows it. */
export function LogSearch() {
  const { t } = useTranslation();
  const { searchLog } = useActions();
  const [callsign, setCallsign] = useState('');
  const [outcome, setOutcome] = useState<LogSearchOutcome | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setOutcome(await searchLog(callsign));
  }

  return (
    <section className="card log-search" aria-labelledby="log-search-title">
      <h2 id="log-search-title">{t('search.title')}</h2>
      <form className="inline-form" onSubmit={(event) => void submit(event)} noValidate>
        <label>
          {t('search.callsign')}
          <input
            {...CALLSIGN_INPUT}
            value={callsign}
            onChange={(event) => setCallsign(event.target.value)}
            aria-invalid={outcome !== null && !outcome.ok}
            aria-describedby="log-search-result"
          />
        </label>
        <button type="submit">{t('search.submit')}</button>
      </form>
      <div id="log-search-result" role="status">
        {outcome !== null && !outcome.ok && <p className="field-error">{refusalText(t, outcome.refusal)}</p>}
        {outcome?.ok === true &&
          (outcome.result.total_qsos === 0 ? (
            <p>{t('search.notFound', { callsign: outcome.result.callsign })}</p>
          ) : (
            <>
              <p>{t('search.found', { callsign: outcome.result.callsign })}</p>
              <ul className="worked-slots">
                {outcome.result.worked.map((slot) => (
                  <li key={`${slot.band}|${slot.mode}`}>
                    {slot.band === null ? <span>{t('search.unknownBand')}</span> : <strong translate="no">{slot.band}</strong>}{' '}
                    {slot.mode !== null && <span translate="no">{slot.mode}</span>} · <span>{t('search.qsos', { count: slot.qsos })}</span>
                    {slot.last_worked_at !== undefined && (
                      <>
                        {' '}
                        · <time translate="no" dateTime={slot.last_worked_at}>{`${utcDateTime(slot.last_worked_at)} UTC`}</time>
                      </>
                    )}
                  </li>
                ))}
              </ul>
            </>
          ))}
      </div>
    </section>
  );
}
