import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LogEntry } from '../../server/protocol/replies.js';
import { BridgeOfflineError } from '../bridge/bridge.js';
import { FakeBridge, NOW_ISO, queueOf, refusal, status, success } from '../testing/fake-bridge.js';
import { createPileupStore, type PileupStore } from './pileup-store.js';

let store: PileupStore | undefined;

function start(bridge: FakeBridge, options: Parameters<typeof createPileupStore>[1] = {}): PileupStore {
  store = createPileupStore(bridge, options);
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
    const bridge = new FakeBridge({ status: status({ queue: queueOf('EA1ABC'), queue_size: 1 }) });
    const { getState } = start(bridge);
    await vi.waitFor(() => expect(getState().synced).toBe(true));
    expect(getState().pileup.queue.map((entry) => entry.callsign)).toEqual(['EA1ABC']);
  });

  it('moves the pileup forward with each broadcast', async () => {
    const bridge = new FakeBridge();
    const { getState } = start(bridge);
    await vi.waitFor(() => expect(getState().synced).toBe(true));
    bridge.broadcast({
      type: 'queue_update',
      timestamp: NOW_ISO,
      data: { total: 1, max_size: 4, change_type: 'registered', affected_callsign: 'DL1ABC', queue: queueOf('DL1ABC') },
    });
    expect(getState().pileup.queue_size).toBe(1);
  });

  it('resynchronises from a fresh snapshot on every reconnect, since broadcasts were missed', async () => {
    const bridge = new FakeBridge();
    const { getState } = start(bridge);
    await vi.waitFor(() => expect(bridge.sent('get_queue_status')).toHaveLength(1));
    bridge.setConnection({ status: 'offline', attempt: 1 });
    bridge.answer('get_queue_status', () => success(status({ queue: queueOf('G0ABC'), queue_size: 1 })));
    bridge.setConnection({ status: 'online' });
    await vi.waitFor(() => expect(getState().pileup.queue[0]?.callsign).toBe('G0ABC'));
    expect(bridge.sent('get_queue_status')).toHaveLength(2);
    expect(getState().connection.status).toBe('online');
  });
});

describe('dupe marks', () => {
  it('re-reads the queue when the frequency changes, since dupes depend on band and mode', async () => {
    const bridge = new FakeBridge({ status: status({ queue: queueOf('EA1ABC'), queue_size: 1 }) });
    const { getState } = start(bridge);
    await vi.waitFor(() => expect(getState().synced).toBe(true));
    bridge.answer('get_queue_status', () =>
      success(status({ queue: [{ ...queueOf('EA1ABC')[0]!, dupe: true }], queue_size: 1, frequency: '7.074' })),
    );
    bridge.broadcast({ type: 'frequency_update', timestamp: NOW_ISO, data: { frequency: '7.074', mode: 'FT8', split: null } });
    await vi.waitFor(() => expect(getState().pileup.queue[0]?.dupe).toBe(true));
    expect(bridge.sent('get_queue_status')).toHaveLength(2);
  });
});

describe('registration', () => {
  it('explains an invalid callsign with the server rule and sends nothing', async () => {
    const bridge = new FakeBridge();
    const outcome = await start(bridge).getState().actions.register('abc1def');
    expect(outcome).toMatchObject({ ok: false, message: expect.stringContaining('"ABC1DEF" is not a valid callsign') });
    expect(bridge.sent('register_callsign')).toEqual([]);
  });

  it('sends the trimmed, uppercased callsign and reports the position', async () => {
    const bridge = new FakeBridge();
    bridge.answer('register_callsign', (request) =>
      success({ callsign: request.callsign, position: 2, total_queue: 2, estimated_wait_s: 240 }),
    );
    const outcome = await start(bridge).getState().actions.register('  dl1abc ');
    expect(bridge.sent('register_callsign')[0]).toMatchObject({ callsign: 'DL1ABC' });
    expect(outcome).toEqual({ ok: true, callsign: 'DL1ABC', position: 2, total: 2, estimatedWaitS: 240 });
  });

  it('puts a server refusal in plain words', async () => {
    const bridge = new FakeBridge();
    bridge.answer('register_callsign', () => refusal('QUEUE_FULL', { current_size: 4, max_size: 4 }));
    const outcome = await start(bridge).getState().actions.register('EA1ABC');
    expect(outcome).toEqual({ ok: false, message: 'The queue is full (4 of 4). Please try again in a few minutes.' });
  });
});

describe('operator commands', () => {
  it('ignores a second "work next" while the first is on its way, so no station is skipped', async () => {
    const bridge = new FakeBridge();
    let answer: (() => void) | undefined;
    bridge.answer('admin_work_next', () => new Promise((resolve) => (answer = () => resolve(success()))));
    const { actions } = start(bridge).getState();
    const first = actions.workNext();
    expect(await actions.workNext()).toBe(false);
    answer?.();
    expect(await first).toBe(true);
    expect(bridge.sent('admin_work_next')).toHaveLength(1);
  });

  it('shows a refused command as an error notice', async () => {
    const bridge = new FakeBridge();
    bridge.answer('admin_work_next', () => refusal('QUEUE_EMPTY'));
    const { getState } = start(bridge);
    expect(await getState().actions.workNext()).toBe(false);
    expect(getState().notice).toMatchObject({ tone: 'error', text: 'Nobody is waiting in the queue.' });
  });

  it('sets the system to the state asked for rather than flipping it', async () => {
    const bridge = new FakeBridge();
    await start(bridge).getState().actions.toggleSystem(false);
    expect(bridge.sent('admin_toggle_system')).toEqual([{ type: 'admin_toggle_system', active: false }]);
  });

  it('forgets its own session after changing the credentials, which ended every session', async () => {
    const bridge = new FakeBridge({ login: 'logged-in' });
    const { getState } = start(bridge);
    expect(await getState().actions.setCredentials('ei6jgb', 'a long passphrase')).toBe(true);
    expect(getState().session).toBe('logged-out');
  });
});

describe('operator session', () => {
  it('starts trusted over IPC and logged out over a bridge that needs a login', () => {
    expect(start(new FakeBridge()).getState().session).toBe('trusted');
    store?.dispose();
    expect(start(new FakeBridge({ login: 'logged-out' })).getState().session).toBe('logged-out');
  });

  it('reports a wrong password in plain words and stays logged out', async () => {
    const { getState } = start(new FakeBridge({ login: 'logged-out' }));
    expect(await getState().actions.login('admin', 'wrong')).toBe('Wrong username or password.');
    expect(getState().session).toBe('logged-out');
  });

  it('loads the log once logged in, and clears it when the session ends', async () => {
    const bridge = new FakeBridge({ login: 'logged-out' });
    bridge.answer('admin_get_log', () => success({ total: 1, offset: 0, entries: [logEntry(1)] }));
    const { getState } = start(bridge);
    await getState().actions.login('admin', 'right-password');
    await vi.waitFor(() => expect(getState().log.total).toBe(1));
    bridge.emit({ kind: 'session', loggedIn: false });
    expect(getState().log.entries).toEqual([]);
  });
});

describe('log and QSO rate', () => {
  it('keeps the end times of recent QSOs, and adds each completed one', async () => {
    const bridge = new FakeBridge();
    bridge.answer('admin_get_log', () => success({ total: 2, offset: 0, entries: [logEntry(1), logEntry(3)] }));
    const { getState } = start(bridge);
    await vi.waitFor(() => expect(getState().recentEnds).toHaveLength(2));
    bridge.broadcast({
      type: 'qso_update',
      timestamp: NOW_ISO,
      data: { callsign: 'EA1ABC', started_at: NOW_ISO, source: 'queue', change_type: 'qso_completed', qso_id: 'x', ended_at: NOW_ISO },
    });
    expect(getState().recentEnds.at(-1)).toBe(Date.parse(NOW_ISO));
  });

  it('re-reads the log page shown when a QSO changes', async () => {
    const bridge = new FakeBridge();
    start(bridge);
    // The page shown and the recent QSOs for the rate.
    await vi.waitFor(() => expect(bridge.sent('admin_get_log')).toHaveLength(2));
    const before = bridge.sent('admin_get_log').length;
    bridge.broadcast({
      type: 'qso_update',
      timestamp: NOW_ISO,
      data: { callsign: 'EA1ABC', started_at: NOW_ISO, source: 'queue', change_type: 'qso_completed', qso_id: 'x', ended_at: NOW_ISO },
    });
    expect(bridge.sent('admin_get_log').length).toBeGreaterThan(before);
  });

  it('exports the log as the ADIF file the server writes', async () => {
    const bridge = new FakeBridge();
    bridge.answer('admin_export_adif', () => success({ file_name: 'pileup-log-20250723-103000.adi', count: 1, adif: '<eoh>\n<CALL:6>EA0ABC\n<eor>\n' }));
    const file = await start(bridge).getState().actions.exportLog();
    expect(file).toEqual({ fileName: 'pileup-log-20250723-103000.adi', count: 1, text: '<eoh>\n<CALL:6>EA0ABC\n<eor>\n' });
  });

  it('imports an ADIF file through the bridge, says how many QSOs came in and re-reads the log', async () => {
    const bridge = new FakeBridge();
    const { getState } = start(bridge);
    await vi.waitFor(() => expect(getState().synced).toBe(true));
    bridge.answer('admin_import_adif', () => success({ imported: 2, skipped: 1, total: 2 }));
    bridge.answer('admin_get_log', () => success({ total: 2, offset: 0, entries: [logEntry(1), logEntry(2)] }));
    const reads = bridge.sent('admin_get_log').length;
    const adif = '<eoh>\n<CALL:6>EA1ABC<QSO_DATE:8>20250723<TIME_ON:4>1030<eor>\n';
    expect(await getState().actions.importAdif(adif)).toBe(true);
    expect(bridge.sent('admin_import_adif')).toEqual([{ type: 'admin_import_adif', adif }]);
    expect(getState().notice).toMatchObject({ tone: 'info', text: 'Imported 2 QSOs into the log. 1 QSO skipped (no usable callsign, date or time).' });
    expect(bridge.sent('admin_get_log').length).toBe(reads + 1);
    expect(getState().log.total).toBe(2);
    expect(getState().importing).toBe(false);
  });

  it('turns a refused import into a plain-words notice and leaves the log as it was', async () => {
    const bridge = new FakeBridge();
    const { getState } = start(bridge);
    await vi.waitFor(() => expect(getState().synced).toBe(true));
    bridge.answer('admin_import_adif', () => ({ ...refusal('INVALID_REQUEST'), message: 'the file is too large' }));
    const reads = bridge.sent('admin_get_log').length;
    expect(await getState().actions.importAdif('x')).toBe(false);
    expect(getState().notice).toMatchObject({ tone: 'error', text: 'The ADIF file could not be imported: the file is too large' });
    expect(bridge.sent('admin_get_log').length).toBe(reads);
    expect(getState().importing).toBe(false);
  });

  it('says so when the server cannot be reached for an import', async () => {
    const bridge = new FakeBridge();
    const { getState } = start(bridge);
    await vi.waitFor(() => expect(getState().synced).toBe(true));
    bridge.answer('admin_import_adif', () => Promise.reject(new BridgeOfflineError()));
    expect(await getState().actions.importAdif('x')).toBe(false);
    expect(getState().notice?.tone).toBe('error');
    expect(getState().notice?.text).toMatch(/^The ADIF file could not be imported: /);
  });
});

describe('connected clients', () => {
  it('is polled only when asked for', async () => {
    vi.useFakeTimers();
    const bridge = new FakeBridge();
    const polled = vi.spyOn(bridge, 'connectedClients');
    start(bridge);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(polled).not.toHaveBeenCalled();
    store?.dispose();
    const { getState } = start(bridge, { clientsPollMs: 5000 });
    await vi.advanceTimersByTimeAsync(5000);
    expect(getState().clients).toBe(3);
  });
});
