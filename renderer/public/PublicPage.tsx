import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConnectionBadge } from '../components/ConnectionBadge.js';
import { frequencyLabel } from '../components/qso-labels.js';
import { utcDateTime } from '../format/time.js';
import { LANGUAGES, type LanguageCode, rememberLanguage, switchLanguage } from '../i18n/i18n.js';
import { usePileup } from '../store/react.js';
import { LogSearch } from './LogSearch.js';
import { RegisterForm } from './RegisterForm.js';
import { connectionWords } from './words.js';

function LanguageSwitcher() {
  const { t, i18n } = useTranslation();
  function choose(code: LanguageCode) {
    rememberLanguage(code);
    void switchLanguage(i18n, code);
  }
  return (
    <label className="language-switcher">
      {t('page.language')}
      <select value={i18n.language} onChange={(event) => choose(event.target.value as LanguageCode)}>
        {LANGUAGES.map(({ code, name }) => (
          <option key={code} value={code} lang={code}>
            {name}
          </option>
        ))}
      </select>
    </label>
  );
}

function OnAir() {
  const { t } = useTranslation();
  const frequency = usePileup((state) => state.pileup.frequency);
  const mode = usePileup((state) => state.pileup.mode);
  const split = usePileup((state) => state.pileup.split);
  const beam = usePileup((state) => state.pileup.station.beam_heading);
  const label = frequencyLabel(frequency, mode);
  if (label === null && (beam === undefined || beam === null)) return null;
  return (
    <dl className="on-air">
      {label !== null && (
        <div>
          <dt>{t('onAir.title')}</dt>
          <dd>
            <strong translate="no">{label}</strong>
            {split !== null && (
              <>
                {' · '}
                {t('onAir.listening', { split })}
              </>
            )}
          </dd>
        </div>
      )}
      {beam !== undefined && beam !== null && (
        <div>
          <dt>{t('onAir.beam')}</dt>
          <dd>
            <strong translate="no">{`${beam}°`}</strong>
          </dd>
        </div>
      )}
    </dl>
  );
}

function NowWorking() {
  const { t } = useTranslation();
  const qso = usePileup((state) => state.pileup.current_qso);
  return (
    <section className="card now-working" aria-labelledby="now-working-title">
      <h2 id="now-working-title">{t('nowWorking.title')}</h2>
      {qso === null ? (
        <p className="muted">{t('nowWorking.nobody')}</p>
      ) : (
        <p className="qso-callsign" translate="no">
          {qso.callsign}
          {qso.country !== undefined && <span className="muted"> · {qso.country}</span>}
        </p>
      )}
    </section>
  );
}

function LiveQueue({ mine }: { mine: ReadonlySet<string> }) {
  const { t } = useTranslation();
  const pileup = usePileup((state) => state.pileup);
  const hidden = pileup.queue_size - pileup.queue.length;
  return (
    <section className="card live-queue" aria-labelledby="live-queue-title">
      <h2 id="live-queue-title">
        {t('queue.title')}{' '}
        <span className="muted">
          {pileup.system_active ? t('queue.count', { size: pileup.queue_size, max: pileup.max_queue_size }) : t('queue.closed')}
        </span>
      </h2>
      {pileup.queue.length === 0 ? (
        <p className="muted">{t('queue.empty')}</p>
      ) : (
        <ol className="queue-list" aria-label={t('queue.label')}>
          {pileup.queue.map((entry) => (
            <li key={entry.callsign} className={mine.has(entry.callsign) ? 'queue-row is-mine' : 'queue-row'}>
              <span className="queue-position" translate="no">
                {entry.position}
              </span>
              <span className="queue-callsign" translate="no">
                {entry.callsign}
              </span>
              {entry.country !== undefined && (
                <span className="queue-country muted" translate="no">
                  {entry.country}
                </span>
              )}
              {mine.has(entry.callsign) && <span className="badge">{t('queue.mine')}</span>}
            </li>
          ))}
        </ol>
      )}
      {hidden > 0 && <p className="muted">{t('queue.more', { count: hidden })}</p>}
    </section>
  );
}

function RecentlyWorked() {
  const { t } = useTranslation();
  const recent = usePileup((state) => state.recent);
  if (!recent.shown) return null;
  return (
    <section className="card recent" aria-labelledby="recent-title">
      <h2 id="recent-title">{t('recent.title')}</h2>
      {recent.qsos.length === 0 ? (
        <p className="muted">{t('recent.none')}</p>
      ) : (
        <ol className="recent-list" aria-label={t('recent.label')}>
          {recent.qsos.slice(0, 20).map((qso) => (
            <li key={qso.qso_id} translate="no">
              <span className="queue-callsign">{qso.callsign}</span>{' '}
              <span>{[qso.band, qso.mode].filter((part) => part !== undefined).join(' ')}</span>
              {qso.country !== undefined && <span className="muted"> · {qso.country}</span>}
              {qso.ended_at !== undefined && (
                <time className="muted" dateTime={qso.ended_at}>
                  {` · ${utcDateTime(qso.ended_at).slice(11)} UTC`}
                </time>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

/** The page callers and club helpers use: register, watch the queue move, and check the log. */
export function PublicPage() {
  const { t, i18n } = useTranslation();
  useEffect(() => {
    document.documentElement.lang = i18n.language;
    document.title = t('page.documentTitle');
  }, [i18n.language, t]);
  const [mine, setMine] = useState<ReadonlySet<string>>(new Set());
  const callsign = usePileup((state) => state.pileup.station.callsign);
  return (
    <div className="public">
      <header className="public-header">
        <h1>
          {t('page.title')}
          {callsign !== null && (
            <span className="station-callsign" translate="no">
              {' '}
              {callsign}
            </span>
          )}
        </h1>
        <LanguageSwitcher />
        <ConnectionBadge words={connectionWords(t)} />
      </header>
      <main className="public-main">
        <OnAir />
        <RegisterForm onRegistered={(call) => setMine((previous) => new Set(previous).add(call))} />
        <NowWorking />
        <LiveQueue mine={mine} />
        <LogSearch />
        <RecentlyWorked />
      </main>
    </div>
  );
}
