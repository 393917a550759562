/** The QSO log as the console shows it: one page at a time, ADIF export and import. */
import type { LogEntry } from '../../../server/protocol/entities.js';
import { plainWords, Refused } from '../requests.js';
import { describeError, describeFailure } from '../error-text.js';
import type { SliceContext } from './context.js';
import { importSummary } from '../import-summary.js';

export const LOG_PAGE_SIZE = 50;

export interface LogView {
  offset: number;
  total: number;
  entries: LogEntry[];
  loading: boolean;
}

export interface AdifExport {
  fileName: string;
  text: string;
  count: number;
}

export interface LogState {
  log: LogView;
  exporting: { done: number; total: number } | null;
  /** An ADIF import is on its way to the server. */
  importing: boolean;
}

export interface LogActions {
  loadLog(offset: number): Promise<void>;
  /** The whole log, oldest first, as ADIF; null when it could not be read (a notice says why). */
  exportLog(): Promise<AdifExport | null>;
  /** Adds an ADIF file's QSOs to the log; a notice says how many (or why not). True on success. */
  importAdif(text: string): Promise<boolean>;
}

export const emptyLog: LogView = { offset: 0, total: 0, entries: [], loading: false };

export function initialLogState(): LogState {
  return { log: emptyLog, exporting: null, importing: false };
}

export function logActions({ link, requests, notify, set, get }: SliceContext): LogActions {
  let latestPage = 0;
  return {
    async loadLog(offset) {
      const request = ++latestPage;
      set((state) => ({ log: { ...state.log, offset, loading: true } }));
      try {
        const page = await requests.call({ type: 'admin_get_log', offset, limit: LOG_PAGE_SIZE });
        // Pages asked for later win: a slow answer must not replace the page now shown.
        if (request === latestPage) set({ log: { offset: page.offset, total: page.total, entries: page.entries, loading: false } });
      } catch (error) {
        if (request !== latestPage) return;
        set((state) => ({ log: { ...state.log, loading: false } }));
        if (error instanceof Refused) notify('error', `The log could not be read: ${error.message}`);
      }
    },

    async exportLog() {
      if (get().exporting !== null) return null;
      set({ exporting: { done: 0, total: get().log.total } });
      try {
        // The server writes the file with its ADIF library: one consistent snapshot of the log.
        const file = await requests.call({ type: 'admin_export_adif' });
        return { fileName: file.file_name, text: file.adif, count: file.count };
      } catch (error) {
        notify('error', `The log could not be exported: ${plainWords(error)}`);
        return null;
      } finally {
        set({ exporting: null });
      }
    },

    async importAdif(text) {
      if (get().importing) return false;
      set({ importing: true });
      try {
        let reply;
        try {
          // Not `call`: the browser's link POSTs the file, since a WebSocket frame is too small.
          reply = await link.importAdif(text);
        } catch (error) {
          throw new Refused(describeFailure(error));
        }
        if (reply.type === 'error') throw new Refused(describeError(reply));
        notify('info', importSummary(reply.data));
        // The log changed: show the page afresh (its total and, maybe, its rows).
        await get().actions.loadLog(get().log.offset);
        return true;
      } catch (error) {
        notify('error', `The ADIF file could not be imported: ${plainWords(error)}`);
        return false;
      } finally {
        set({ importing: false });
      }
    },
  };
}
