import type { ChangeEvent } from 'react';
import { frequencyLabel, sourceLabel } from '../components/qso-labels.js';
import { downloadText } from '../export/download.js';
import { utcDateTime } from '../format/time.js';
import { LOG_PAGE_SIZE } from '../store/pileup-store.js';
import { useActions, usePileup } from '../store/react.js';

const count = (value: number) => value.toLocaleString('en');

/** One page of the log at a time, newest first: as fast with 100,000 QSOs as with ten. */
export function LogPanel() {
  const log = usePileup((state) => state.log);
  const exporting = usePileup((state) => state.exporting);
  const importing = usePileup((state) => state.importing);
  const { loadLog, exportLog, importAdif } = useActions();
  const lastOffset = Math.max(0, Math.floor((log.total - 1) / LOG_PAGE_SIZE) * LOG_PAGE_SIZE);
  const first = log.total === 0 ? 0 : log.offset + 1;
  const last = Math.min(log.total, log.offset + log.entries.length);

  async function onExport() {
    const file = await exportLog();
    if (file !== null) downloadText(file.fileName, file.text, 'application/octet-stream');
  }

  async function onImport(event: ChangeEvent<HTMLInputElement>) {
    const input = event.currentTarget;
    const file = input.files?.[0];
    // Cleared at once, so picking the same file again (after fixing it) imports it again.
    input.value = '';
    if (file !== undefined) await importAdif(await file.text());
  }

  return (
    <div className="log" aria-busy={log.loading}>
      <div className="card-heading">
        <p className="muted">{log.total === 0 ? 'No QSOs logged yet.' : `${count(first)}–${count(last)} of ${count(log.total)}`}</p>
        <div className="log-actions">
          {/* The label is the visible "button"; the real file input stays focusable and named by it. */}
          <label className="file-button" aria-disabled={importing}>
            {importing ? 'Importing…' : 'Import ADIF…'}
            <input
              type="file"
              className="visually-hidden"
              accept=".adi,.adif,text/plain"
              disabled={importing}
              onChange={(event) => void onImport(event)}
            />
          </label>
          <button type="button" disabled={log.total === 0 || exporting !== null} onClick={() => void onExport()}>
            {exporting === null ? 'Export ADIF' : `Exporting ${count(exporting.done)} of ${count(exporting.total)}…`}
          </button>
        </div>
      </div>
      {log.entries.length > 0 && (
        <div className="table-scroll">
          <table className="log-table">
            <caption className="visually-hidden">QSO log, newest first</caption>
            <thead>
              <tr>
                <th scope="col">UTC</th>
                <th scope="col">Callsign</th>
                <th scope="col">Country</th>
                <th scope="col">On</th>
                <th scope="col">RST</th>
                <th scope="col">Source</th>
              </tr>
            </thead>
            <tbody>
              {log.entries.map((entry) => (
                <tr key={entry.qso_id}>
                  <td className="log-time">
                    {/* The year is in the tooltip: a log page seldom spans one. */}
                    <time dateTime={entry.started_at} title={utcDateTime(entry.started_at)}>
                      {utcDateTime(entry.started_at).slice(5)}
                    </time>
                  </td>
                  <td className="log-callsign">{entry.callsign}</td>
                  <td className="log-country" title={entry.country}>
                    {entry.country ?? ''}
                  </td>
                  <td className="log-on">{frequencyLabel(entry.frequency, entry.mode) ?? ''}</td>
                  <td className="log-rst">
                    {entry.rst_sent !== undefined || entry.rst_received !== undefined ? `${entry.rst_sent ?? ''}/${entry.rst_received ?? ''}` : ''}
                  </td>
                  <td className="log-source">{sourceLabel(entry.source)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav className="pager" aria-label="Log pages">
        <button type="button" aria-label="Newest page" disabled={log.offset === 0} onClick={() => void loadLog(0)}>
          «
        </button>
        <button
          type="button"
          aria-label="Newer page"
          disabled={log.offset === 0}
          onClick={() => void loadLog(Math.max(0, log.offset - LOG_PAGE_SIZE))}
        >
          ‹
        </button>
        <button
          type="button"
          aria-label="Older page"
          disabled={log.offset >= lastOffset}
          onClick={() => void loadLog(log.offset + LOG_PAGE_SIZE)}
        >
          ›
        </button>
        <button type="button" aria-label="Oldest page" disabled={log.offset >= lastOffset} onClick={() => void loadLog(lastOffset)}>
          »
        </button>
      </nav>
    </div>
  );
}
