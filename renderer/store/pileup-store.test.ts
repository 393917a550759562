import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LogEntry } from '../../server/protocol/entities.js';
import { OfflineError } from '../transport/server-link.js';
import { FakeLink, NOW_ISO, queueOf, refusal, status, success } from '../testing/fake-link.js';
import { createPileupStore, type PileupStore } from './pileup-store.js';

let store: PileupStore | undefined;

function start(link: FakeLink, options: Parameters<typeof createPileupStore>[1] = {}): PileupStore {
  store = createPileupStore(link, options);
  return store;
}

afterEach(() => {
  store?.dispose();
  store = undefined;
  vi.useRealTimers();
});

function logEntry(n: number): LogEntry {
  const at = new Date(Date.parse(NOW_ISO) - n * 60_000).toISOString();
  return { qso_id: `q${n}`, callsign: `EA${n}ABC`, started_at: at, ended_at: at, source: 'queue' };
}

describe('snapshot and broadcasts', () => {
  it('takes its first state from a get_queue_status snapshot', async () => {
    const link = new FakeLink({ status: status({ queue: queueOf('EA1ABC'), queue_size: 1 }) });
    const { getState } = start(link);
    await vi.waitFor(() => expect(getState().synced).toBe(true));
    expect(getState().pileup.queue.map((entry) => entry.callsign)).toEqual(['EA1ABC']);
  });

  it('moves the pileup forward with each broadcast', async () => {
    const link = new FakeLink();
    const { getState } = start(link);
    await vi.waitFor(() => expect(getState().synced).toBe(true));
    link.broadcast({
      type: 'queue_update',
      timestamp: NOW_ISO,
      data: { total: 1, max_size: 4, change_type: 'registered', affected_callsign: 'DL1ABC', queue: queueOf('DL1ABC') },
    });
    expect(getState().pileup.queue_size).toBe(1);
  });

  it('resynchronises from a fresh snapshot on every reconnect, since broadcasts were missed', async () => {
    const link = new FakeLink();
    const { getState } = start(link);
    await vi.waitFor(() => expect(link.sent('get_queue_status')).toHaveLength(1));
    link.setConnection({ status: 'offline', attempt: 1 });
    link.answer('get_queue_status', () => success(status({ queue: queueOf('G0ABC'), queue_size: 1 })));
    link.setConnection({ status: 'online' });
    await vi.waitFor(() => expect(getState().pileup.queue[0]?.callsign).toBe('G0ABC'));
    expect(link.sent('get_queue_status')).toHaveLength(2);
    expect(getState().connection.status).toBe('online');
  });
});

describe('dupe marks', () => {
  it('re-reads the queue when the frequency changes, since dupes depend on band and mode', async () => {
    const link = new FakeLink({ status: status({ queue: queueOf('EA1ABC'), queue_size: 1 }) });
    const { getState } = start(link);
    await vi.waitFor(() => expect(getState().synced).toBe(true));
    link.answer('get_queue_status', () =>
      success(status({ queue: [{ ...queueOf('EA1ABC')[0]!, dupe: true }], queue_size: 1, frequency: '7.074' })),
    );
    link.broadcast({ type: 'frequency_update', timestamp: NOW_ISO, data: { frequency: '7.074', mode: 'FT8', split: null } });
    await vi.waitFor(() => expect(getState().pileup.queue[0]?.dupe).toBe(true));
    expect(link.sent('get_queue_status')).toHaveLength(2);
  });
});

describe('registration', () => {
  it('explains an invalid callsign with the server rule and sends nothing', async () => {
    const link = new FakeLink();
    const outcome = await start(link).getState().actions.register('abc1def');
    expect(outcome).toEqual({ ok: false, refusal: { code: 'NOT_A_CALLSIGN', details: { callsign: 'ABC1DEF' } } });
    expect(link.sent('register_callsign')).toEqual([]);
  });

  it('sends the trimmed, uppercased callsign and reports the position', async () => {
    const link = new FakeLink();
    link.answer('register_callsign', (request) =>
      success({ callsign: request.callsign, position: 2, total_queue: 2, estimated_wait_s: 240 }),
    );
    const outcome = await start(link).getState().actions.register('  dl1abc ');
    expect(link.sent('register_callsign')[0]).toMatchObject({ callsign: 'DL1ABC' });
    expect(outcome).toEqual({ ok: true, callsign: 'DL1ABC', position: 2, total: 2, estimatedWaitS: 240 });
  });

  it('hands a server refusal to the page with its code and details, for the caller’s language', async () => {
    const link = new FakeLink();
    link.answer('register_callsign', () => refusal('QUEUE_FULL', { current_size: 4, max_size: 4 }));
    const outcome = await start(link).getState().actions.register('EA1ABC');
    expect(outcome).toEqual({ ok: false, refusal: { code: 'QUEUE_FULL', details: { current_size: 4, max_size: 4 } } });
  });
});

describe('operator commands', () => {
  it('ignores a second "work next" while the first is on its way, so no station is skipped', async () => {
    const link = new FakeLink();
    let answer: (() => void) | undefined;
    link.answer('admin_work_next', () => new Promise((resolve) => (answer = () => resolve(success()))));
    const { actions } = start(link).getState();
    const first = actions.workNext();
    expect(await actions.workNext()).toBe(false);
    answer?.();
    expect(await first).toBe(true);
    expect(link.sent('admin_work_next')).toHaveLength(1);
  });

  it('shows a refused command as an error notice', async () => {
    const link = new FakeLink();
    link.answer('admin_work_next', () => refusal('QUEUE_EMPTY'));
    const { getState } = start(link);
    expect(await getState().actions.workNext()).toBe(false);
    expect(getState().notice).toMatchObject({ tone: 'error', text: 'Nobody is waiting in the queue.' });
  });

  it('sets the system to the state asked for rather than flipping it', async () => {
    const link = new FakeLink();
    await start(link).getState().actions.toggleSystem(false);
    expect(link.sent('admin_toggle_system')).toEqual([{ type: 'admin_toggle_system', active: false }]);
  });

  it('forgets its own session after changing the credentials, which ended every session', async () => {
    const link = new FakeLink({ login: 'logged-in' });
    const { getState } = start(link);
    expect(await getState().actions.setCredentials('ei6jgb', 'a long passphrase')).toBe(true);
    expect(getState().session).toBe('logged-out');
  });
});

describe('operator session', () => {
  it('starts trusted over IPC and logged out over a link that needs a login', () => {
    expect(start(new FakeLink()).getState().session).toBe('trusted');
    store?.dispose();
    expect(start(new FakeLink({ login: 'logged-out' })).getState().session).toBe('logged-out');
  });

  it('reports a wrong password in plain words and stays logged out', async () => {
    const { getState } = start(new FakeLink({ login: 'logged-out' }));
    expect(await getState().actions.login('admin', 'wrong')).toBe('Wrong username or password.');
    expect(getState().session).toBe('logged-out');
  });

  it('loads the log once logged in, and clears it when the session ends', async () => {
    const link = new FakeLink({ login: 'logged-out' });
    link.answer('admin_get_log', () => success({ total: 1, offset: 0, entries: [logEntry(1)] }));
    const { getState } = start(link);
    await getState().actions.login('admin', 'right-password');
    await vi.waitFor(() => expect(getState().log.total).toBe(1));
    link.emit({ kind: 'session', loggedIn: false });
    expect(getState().log.entries).toEqual([]);
  });
});

describe('log and QSO rate', () => {
  it('keeps the end times of recent QSOs from the server, and adds each completed one', async () => {
    const link = new FakeLink();
    const recent = [logEntry(1).ended_at, logEntry(3).ended_at];
    link.answer('admin_get_status', () => success({ ...status(), active_sessions: 1, recent_qso_ends: recent }));
    const { getState } = start(link);
    await vi.waitFor(() => expect(getState().recentEnds).toHaveLength(2));
    link.broadcast({
      type: 'qso_update',
      timestamp: NOW_ISO,
      data: { callsign: 'EA1ABC', started_at: NOW_ISO, source: 'queue', change_type: 'qso_completed', qso_id: 'x', ended_at: NOW_ISO },
    });
    expect(getState().recentEnds.at(-1)).toBe(Date.parse(NOW_ISO));
  });

  it('re-reads the log page shown when a QSO changes', async () => {
    const link = new FakeLink();
    start(link);
    // The page shown; the rate comes with admin_get_status, not from log pages.
    await vi.waitFor(() => expect(link.sent('admin_get_log')).toHaveLength(1));
    expect(link.sent('admin_get_status')).toHaveLength(1);
    const before = link.sent('admin_get_log').length;
    link.broadcast({
      type: 'qso_update',
      timestamp: NOW_ISO,
      data: { callsign: 'EA1ABC', started_at: NOW_ISO, source: 'queue', change_type: 'qso_completed', qso_id: 'x', ended_at: NOW_ISO },
    });
    expect(link.sent('admin_get_log').length).toBeGreaterThan(before);
  });

  it('exports the log as the ADIF file the server writes', async () => {
    const link = new FakeLink();
    link.answer('admin_export_adif', () => success({ file_name: 'pileup-log-20250723-103000.adi', count: 1, adif: '<eoh>\n<CALL:6>EA0ABC\n<eor>\n' }));
    const file = await start(link).getState().actions.exportLog();
    expect(file).toEqual({ fileName: 'pileup-log-20250723-103000.adi', count: 1, text: '<eoh>\n<CALL:6>EA0ABC\n<eor>\n' });
  });

  it('imports an ADIF file through the link, says how many QSOs came in and re-reads the log', async () => {
    const link = new FakeLink();
    const { getState } = start(link);
    await vi.waitFor(() => expect(getState().synced).toBe(true));
    link.answer('admin_import_adif', () =>
      success({
        imported: 2,
        repeated: 1,
        skipped: 2,
        skipped_reasons: [
          { reason: 'no callsign, or one that is not a valid callsign', count: 2, first_record: 4 },
          { reason: 'text after the last <EOR> that is not a whole record', count: 1, first_record: null, text: '<EOF>' },
        ],
        total: 2,
      }),
    );
    link.answer('admin_get_log', () => success({ total: 2, offset: 0, entries: [logEntry(1), logEntry(2)] }));
    const reads = link.sent('admin_get_log').length;
    const adif = '<eoh>\n<CALL:6>EA1ABC<QSO_DATE:8>20250723<TIME_ON:4>1030<eor>\n';
    expect(await getState().actions.importAdif(adif)).toBe(true);
    expect(link.sent('admin_import_adif')).toEqual([{ type: 'admin_import_adif', adif }]);
    expect(getState().notice).toMatchObject({ tone: 'info', text:
        'Imported 2 QSOs into the log. 1 record repeated a QSO of the file and counted once. ' +
        'Skipped 2 records: no callsign, or one that is not a valid callsign (first: record 4). ' +
        'Skipped text after the last <EOR> that is not a whole record: <EOF>.',
    });
    expect(link.sent('admin_get_log').length).toBe(reads + 1);
    expect(getState().log.total).toBe(2);
    expect(getState().importing).toBe(false);
  });

  it('turns a refused import into a plain-words notice and leaves the log as it was', async () => {
    const link = new FakeLink();
    const { getState } = start(link);
    await vi.waitFor(() => expect(getState().synced).toBe(true));
    link.answer('admin_import_adif', () => ({ ...refusal('INVALID_REQUEST'), message: 'the file is too large' }));
    const reads = link.sent('admin_get_log').length;
    expect(await getState().actions.importAdif('x')).toBe(false);
    expect(getState().notice).toMatchObject({ tone: 'error', text: 'The ADIF file could not be imported: the file is too large' });
    expect(link.sent('admin_get_log').length).toBe(reads);
    expect(getState().importing).toBe(false);
  });

  it('says so when the server cannot be reached for an import', async () => {
    const link = new FakeLink();
    const { getState } = start(link);
    await vi.waitFor(() => expect(getState().synced).toBe(true));
    link.answer('admin_import_adif', () => Promise.reject(new OfflineError()));
    expect(await getState().actions.importAdif('x')).toBe(false);
    expect(getState().notice?.tone).toBe('error');
    expect(getState().notice?.text).toMatch(/^The ADIF file could not be imported: /);
  });
});

describe('connected clients', () => {
  it('is polled only when asked for', async () => {
    vi.useFakeTimers();
    const link = new FakeLink();
    const polled = vi.spyOn(link, 'connectedClients');
    start(link);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(polled).not.toHaveBeenCalled();
    store?.dispose();
    const { getState } = start(link, { clientsPollMs: 5000 });
    await vi.advanceTimersByTimeAsync(5000);
    expect(getState().clients).toBe(3);
  });
});
