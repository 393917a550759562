/**
 * Rates and statistics (N1MM-style): the rate meter, QSOs and registrations per 10 minutes, the
 * median wait, and the log by band and continent. Read from the server (`admin_get_stats`) when
 * shown, again whenever the log or the queue changes (at most once a second) and every 30 s, so
 * the rates fall while nothing is worked.
 */
import { useEffect } from 'react';
import type { Statistics } from '../../server/protocol/statistics.js';
import { roughDuration, utcHourMinute } from '../format/time.js';
import { useActions, usePileup } from '../store/react.js';

const REFRESH_MS = 30_000;
const AT_MOST_EVERY_MS = 1000;

function RateMeter({ rates }: { rates: Statistics['rates'] }) {
  return (
    <dl className="rate-meter" aria-label="QSO rate, QSOs per hour">
      <div>
        <dt>Last 10</dt>
        <dd>{rates.last_10}</dd>
      </div>
      <div>
        <dt>Last 100</dt>
        <dd>{rates.last_100}</dd>
      </div>
      <div>
        <dt>Last hour</dt>
        <dd>{rates.last_hour}</dd>
      </div>
    </dl>
  );
}

const CHART = { width: 360, height: 110, top: 12, bottom: 18 };

/** Bars per 10 minutes: QSOs and registrations side by side, oldest on the left. */
function TenMinuteChart({ buckets }: { buckets: Statistics['per_10_minutes'] }) {
  const most = Math.max(1, ...buckets.flatMap((bucket) => [bucket.qsos, bucket.registrations]));
  const slot = CHART.width / buckets.length;
  const bar = (slot - 4) / 2;
  const plot = CHART.height - CHART.top - CHART.bottom;
  const height = (value: number) => (value / most) * plot;
  const summary = buckets.map((bucket) => `${utcHourMinute(bucket.start)}: ${bucket.qsos} QSOs, ${bucket.registrations} registrations`).join('; ');
  return (
    <figure className="ten-minute-chart">
      <svg viewBox={`0 0 ${CHART.width} ${CHART.height}`} role="img" aria-label={`Per 10 minutes (UTC): ${summary}`}>
        {buckets.map((bucket, index) => {
          const x = index * slot + 2;
          const base = CHART.height - CHART.bottom;
          return (
            <g key={bucket.start}>
              <rect className="bar-qsos" x={x} y={base - height(bucket.qsos)} width={bar} height={height(bucket.qsos)} />
              <rect className="bar-registrations" x={x + bar} y={base - height(bucket.registrations)} width={bar} height={height(bucket.registrations)} />
              {index % 3 === 0 && (
                <text x={x} y={CHART.height - 4}>
                  {utcHourMinute(bucket.start)}
                </text>
              )}
            </g>
          );
        })}
        <text x={0} y={CHART.top - 2}>
          max {most}
        </text>
      </svg>
      <figcaption className="muted">
        Per 10 minutes, UTC: <span className="legend-item is-qsos">QSOs</span> <span className="legend-item is-registrations">registrations</span>
      </figcaption>
    </figure>
  );
}

function Counts({ title, counts }: { title: string; counts: Record<string, number> }) {
  const rows = Object.entries(counts).sort(([, a], [, b]) => b - a);
  return (
    <section className="counts" aria-label={title}>
      <h3>{title}</h3>
      {rows.length === 0 ? (
        <p className="muted">None yet.</p>
      ) : (
        <table>
          <tbody>
            {rows.map(([name, count]) => (
              <tr key={name}>
                <th scope="row">{name}</th>
                <td>{count.toLocaleString('en')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function StatsPanel() {
  const stats = usePileup((state) => state.stats);
  const logTotal = usePileup((state) => state.log.total);
  const queueSize = usePileup((state) => state.pileup.queue_size);
  const currentId = usePileup((state) => state.pileup.current_qso?.qso_id ?? null);
  const { loadStats } = useActions();

  useEffect(() => {
    const soon = setTimeout(() => void loadStats(), AT_MOST_EVERY_MS);
    return () => clearTimeout(soon);
  }, [loadStats, logTotal, queueSize, currentId]);

  useEffect(() => {
    void loadStats();
    const timer = setInterval(() => void loadStats(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [loadStats]);

  if (stats === null) return <p className="muted">Loading the statistics…</p>;
  return (
    <div className="stats">
      <RateMeter rates={stats.rates} />
      <p>
        {stats.total_qsos.toLocaleString('en')} QSOs with {stats.unique_callsigns.toLocaleString('en')} stations · median wait{' '}
        {stats.median_wait_s === null ? '—' : roughDuration(stats.median_wait_s)}
        {stats.wait_sample > 0 && <span className="muted"> (last {stats.wait_sample} from the queue)</span>}
      </p>
      <TenMinuteChart buckets={stats.per_10_minutes} />
      <div className="counts-row">
        <Counts title="By band" counts={stats.by_band} />
        <Counts title="By continent" counts={stats.by_continent} />
      </div>
    </div>
  );
}
