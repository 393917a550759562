/**
 * What the public page says about refusals, durations and the connection, in the caller's
 * language: every sentence comes from the catalogues (renderer/i18n/locales), the data (calls,
 * numbers) is interpolated.
 */
import type { TFunction } from 'i18next';
import type { ConnectionWords } from '../components/ConnectionBadge.js';
import { utcHourMinute } from '../format/time.js';
import type { Refusal } from '../store/pileup-store.js';

/** `less than a minute`, `4 minutes`, `1 h 05 min`. */
export function durationText(t: TFunction, seconds: number): string {
  const minutes = Math.round(seconds / 60);
  if (minutes < 1) return t('duration.underAMinute');
  if (minutes < 60) return t('duration.minutes', { count: minutes });
  return t('duration.hours', { hours: Math.floor(minutes / 60), minutes: String(minutes % 60).padStart(2, '0') });
}

const KNOWN = new Set([
  'EMPTY',
  'NOT_A_CALLSIGN',
  'NOT_A_LOCATOR',
  'INVALID_CALLSIGN',
  'SYSTEM_INACTIVE',
  'QUEUE_FULL',
  'ALREADY_IN_QUEUE',
  'REGISTRATION_PAUSED',
  'CALLSIGN_BANNED',
  'RATE_LIMITED',
  'WORKED_RECENTLY',
  'OFFLINE',
]);

/** A refusal as one sentence; a code this page does not know reads as "something went wrong". */
export function refusalText(t: TFunction, { code, details }: Refusal): string {
  const text = (key: string) => (typeof details[key] === 'string' || typeof details[key] === 'number' ? details[key] : '');
  if (code === 'ALREADY_IN_QUEUE' && details.current_qso === true) return t('error.BEING_WORKED', { callsign: text('callsign') });
  if (code === 'WORKED_RECENTLY') {
    const seconds = typeof details.retry_after_s === 'number' ? details.retry_after_s : 60;
    return t('error.WORKED_RECENTLY', { minutes: Math.max(1, Math.ceil(seconds / 60)) });
  }
  if (!KNOWN.has(code)) return t('error.FAILED');
  return t(`error.${code}`, {
    callsign: text('callsign'),
    locator: text('locator'),
    position: text('position'),
    seconds: text('retry_after_s'),
  });
}

export function connectionWords(t: TFunction): ConnectionWords {
  return {
    label: t('connection.label'),
    describe: (state) =>
      state.status === 'station-offline' && state.lastSeen !== null
        ? t('connection.station-offline-since', { time: utcHourMinute(state.lastSeen) })
        : t(`connection.${state.status}`),
  };
}
