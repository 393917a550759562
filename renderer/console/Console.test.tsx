// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeLink, NOW_ISO, queueOf, refusal, status, success } from '../testing/fake-link.js';
import { renderWithStore, unnamedControls } from '../testing/render.js';
import { Console } from './Console.js';
import { SHORTCUTS } from './shortcuts.js';

let page: ReturnType<typeof renderWithStore> | undefined;

afterEach(() => {
  page?.unmount();
  page = undefined;
  cleanup();
});

async function openConsole(link = new FakeLink({ status: status({ queue: queueOf('EA1ABC', 'DL1ABC'), queue_size: 2 }) })) {
  page = renderWithStore(link, <Console />);
  await screen.findByRole('list', { name: 'Waiting stations' });
  return link;
}

function key(value: string, target: Element = document.body) {
  fireEvent.keyDown(target, { key: value });
}

const FULL_DISK = {
  writable: false,
  reason: 'ENOSPC',
  message: 'Could not save to state.db: no space left on the disk; nothing was changed',
  file: 'state.db',
  since: NOW_ISO,
};
const WRITABLE = { writable: true, reason: null, message: null, file: null, since: null };

describe('storage banner', () => {
  it('turns red while the server cannot write its data files, and goes away when it can again', async () => {
    const link = await openConsole();
    expect(screen.queryByRole('alert', { name: 'Data files' })).toBeNull();
    act(() => link.broadcast({ type: 'storage_update', timestamp: NOW_ISO, data: FULL_DISK }));
    const banner = await screen.findByRole('alert', { name: 'Data files' });
    expect(banner.textContent).toContain('Changes cannot be saved.');
    expect(banner.textContent).toContain('no space left on the disk');
    act(() => link.broadcast({ type: 'storage_update', timestamp: NOW_ISO, data: WRITABLE }));
    await waitFor(() => expect(screen.queryByRole('alert', { name: 'Data files' })).toBeNull());
  });

  it('shows at once when the console opens while writes fail', async () => {
    const link = new FakeLink({ status: status({ queue: queueOf('EA1ABC'), queue_size: 1 }) });
    link.answer('admin_get_status', () => success({ ...status(), active_sessions: 1, recent_qso_ends: [], storage: FULL_DISK }));
    await openConsole(link);
    expect((await screen.findByRole('alert', { name: 'Data files' })).textContent).toContain('no space left on the disk');
  });

  it('says a refused change in plain words', async () => {
    const link = new FakeLink({ status: status({ queue: queueOf('EA1ABC'), queue_size: 1 }) });
    link.answer('admin_work_next', () => refusal('STORAGE_FAILED', { reason: 'ENOSPC', file: 'state.db' }));
    await openConsole(link);
    fireEvent.click(screen.getByRole('button', { name: 'Work next' }));
    expect(await screen.findByText('The server could not save this (its disk is full), so nothing was changed. Please try again in a few minutes.')).toBeTruthy();
  });
});

describe('queue', () => {
  it('lists the waiting stations in order with their actions', async () => {
    await openConsole();
    const rows = within(screen.getByRole('list', { name: 'Waiting stations' })).getAllByRole('listitem');
    expect(rows.map((row) => row.querySelector('.queue-callsign')?.textContent)).toEqual(['EA1ABC', 'DL1ABC']);
    expect(screen.getByRole('button', { name: 'Work this DL1ABC' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Remove DL1ABC' })).toBeTruthy();
  });

  it('works a specific station with "Work this"', async () => {
    const link = await openConsole();
    fireEvent.click(screen.getByRole('button', { name: 'Work this DL1ABC' }));
    await waitFor(() => expect(link.sent('admin_work_specific')).toEqual([{ type: 'admin_work_specific', callsign: 'DL1ABC' }]));
  });

  it('asks before clearing the queue, and clears only when confirmed', async () => {
    const link = await openConsole();
    fireEvent.click(screen.getByRole('button', { name: 'Clear queue' }));
    const dialog = screen.getByRole('dialog', { name: 'Clear the queue?' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(link.sent('admin_clear_queue')).toEqual([]);
    fireEvent.click(screen.getByRole('button', { name: 'Clear queue' }));
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Clear queue' }));
    await waitFor(() => expect(link.sent('admin_clear_queue')).toHaveLength(1));
  });

  it('shows a refusal in plain words', async () => {
    const link = new FakeLink({ status: status({ queue: queueOf('EA1ABC'), queue_size: 1 }) });
    link.answer('admin_work_next', () => refusal('QUEUE_EMPTY'));
    await openConsole(link);
    fireEvent.click(screen.getByRole('button', { name: 'Work next' }));
    expect(await screen.findByText('Nobody is waiting in the queue.')).toBeTruthy();
  });
});

describe('current QSO', () => {
  it('shows the callsign, country when known, source, frequency and mode', async () => {
    const current_qso = {
      callsign: 'VK9/EI6JGB',
      timestamp: NOW_ISO,
      started_at: NOW_ISO,
      source: 'logging_software',
      qso_id: 'q1',
      frequency: '14.205',
      mode: 'USB',
      country: 'Norfolk Island',
    };
    await openConsole(new FakeLink({ status: status({ current_qso, queue: queueOf('EA1ABC'), queue_size: 1 }) }));
    const card = screen.getByRole('region', { name: 'Current QSO' });
    expect(within(card).getByText('VK9/EI6JGB')).toBeTruthy();
    expect(within(card).getByText('Norfolk Island')).toBeTruthy();
    expect(card.textContent).toContain('logging software');
    expect(card.textContent).toContain('14.205 MHz USB');
  });
});

describe('keyboard shortcuts', () => {
  it('N works the next station, C completes, X cancels', async () => {
    const link = await openConsole();
    key('n');
    key('c');
    key('x');
    await waitFor(() => expect(link.requests.map((request) => request.type)).toEqual(expect.arrayContaining(['admin_work_next', 'admin_complete_qso', 'admin_cancel_qso'])));
  });

  it('does nothing when the key is typed into a field', async () => {
    const link = await openConsole();
    key('n', screen.getByRole('textbox', { name: 'MHz or kHz' }));
    expect(link.sent('admin_work_next')).toEqual([]);
  });

  it('A switches the system on at once, but asks before switching off with stations waiting', async () => {
    const link = new FakeLink({ status: status({ system_active: false }) });
    page = renderWithStore(link, <Console />);
    await screen.findByRole('switch', { name: 'System' });
    key('a');
    await waitFor(() => expect(link.sent('admin_toggle_system')).toEqual([{ type: 'admin_toggle_system', active: true }]));
    act(() => {
      link.broadcast({ type: 'system_status_update', timestamp: NOW_ISO, data: { active: true, changed_by: 'admin' } });
      link.broadcast({
        type: 'queue_update',
        timestamp: NOW_ISO,
        data: { total: 1, max_size: 4, change_type: 'registered', affected_callsign: 'G0ABC', queue: queueOf('G0ABC') },
      });
    });
    key('a');
    const dialog = screen.getByRole('dialog', { name: 'Switch the system off?' });
    expect(link.sent('admin_toggle_system')).toHaveLength(1);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Switch off' }));
    await waitFor(() => expect(link.sent('admin_toggle_system').at(-1)).toEqual({ type: 'admin_toggle_system', active: false }));
  });

  it('? opens a help overlay listing every shortcut, and shortcuts pause while it is open', async () => {
    const link = await openConsole();
    key('?');
    const help = screen.getByRole('dialog', { name: 'Keyboard shortcuts' });
    for (const shortcut of SHORTCUTS) expect(within(help).getByText(shortcut.description)).toBeTruthy();
    key('n');
    expect(link.sent('admin_work_next')).toEqual([]);
    fireEvent.keyDown(help, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
  });
});

describe('wire strings', () => {
  it('are shown as text, never as markup', async () => {
    const hostile = '<img src=x onerror="window.pwned=1">';
    await openConsole(new FakeLink({ status: status({ queue: queueOf(hostile, 'EA1ABC'), queue_size: 2, mode: '<b>SSB</b>', frequency: '14.1' }) }));
    expect(document.querySelector('img')).toBeNull();
    expect(document.querySelector('b')).toBeNull();
    expect(document.querySelector('.queue-callsign')?.textContent).toBe(hostile);
  });
});

describe('login', () => {
  it('asks a browser to log in, and says so in plain words when the password is wrong', async () => {
    page = renderWithStore(new FakeLink({ login: 'logged-out' }), <Console />);
    fireEvent.change(screen.getByLabelText('Username'), { target: { value: 'admin' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'wrong' } });
    fireEvent.click(screen.getByRole('button', { name: 'Log in' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Wrong username or password.');
  });

  it('shows the console once logged in', async () => {
    page = renderWithStore(new FakeLink({ login: 'logged-out' }), <Console />);
    fireEvent.change(screen.getByLabelText('Username'), { target: { value: 'admin' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'right-password' } });
    fireEvent.click(screen.getByRole('button', { name: 'Log in' }));
    expect(await screen.findByRole('switch', { name: 'System' })).toBeTruthy();
  });
});

describe('log', () => {
  it('pages through the log newest first, one page at a time', async () => {
    const link = new FakeLink();
    const entry = { qso_id: 'q', callsign: 'EA1ABC', started_at: NOW_ISO, ended_at: NOW_ISO, source: 'queue' };
    link.answer('admin_get_log', (request) =>
      success({ total: 120, offset: request.offset, entries: Array.from({ length: 50 }, (_, n) => ({ ...entry, qso_id: `q${n}` })) }),
    );
    page = renderWithStore(link, <Console />);
    expect(await screen.findByText('1–50 of 120')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Older page' }));
    expect(await screen.findByText('51–100 of 120')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Oldest page' }));
    await waitFor(() => expect(link.sent('admin_get_log').at(-1)).toMatchObject({ offset: 100, limit: 50 }));
  });

  it('imports the ADIF file picked with "Import ADIF…" and says how many QSOs came in', async () => {
    const link = new FakeLink();
    link.answer('admin_import_adif', () => success({ imported: 3, repeated: 0, skipped: 0, skipped_reasons: [], total: 3 }));
    page = renderWithStore(link, <Console />);
    const input = await screen.findByLabelText('Import ADIF…');
    const adif = '<eoh>\n<CALL:6>EA1ABC<QSO_DATE:8>20250723<TIME_ON:4>1030<eor>\n';
    fireEvent.change(input, { target: { files: [new File([adif], 'contest.adi', { type: 'text/plain' })] } });
    expect(await screen.findByText('Imported 3 QSOs into the log.')).toBeTruthy();
    expect(link.sent('admin_import_adif')).toEqual([{ type: 'admin_import_adif', adif }]);
  });
});

describe('accessibility', () => {
  it('gives every control an accessible name, on every tab', async () => {
    await openConsole();
    expect(unnamedControls(document.body)).toEqual([]);
    fireEvent.click(screen.getByRole('tab', { name: 'Settings' }));
    expect(screen.getByRole('spinbutton', { name: 'Maximum stations waiting' })).toBeTruthy();
    expect(unnamedControls(document.body)).toEqual([]);
  });
});

describe('header', () => {
  it('shows the public relay state once the relay is on, and follows relay_update', async () => {
    const link = new FakeLink({ status: status({ queue: queueOf('EA1ABC'), queue_size: 1 }) });
    const relay = { state: 'connecting', reason: null, server: null, station_id: 'ea8abc', since: NOW_ISO, requests_answered: 0, requests_dropped: 0, events_published: 0 } as const;
    link.answer('admin_get_relay', () => success({ settings: {}, overridden: [], status: relay }));
    await openConsole(link);
    const header = screen.getByRole('banner');
    await within(header).findByText('connecting…');
    act(() => link.broadcast({ type: 'relay_update', timestamp: NOW_ISO, data: { ...relay, state: 'connected', server: 'relay.example.org:4222' } }));
    expect(within(header).getByText('connected as ea8abc')).toBeTruthy();
  });
});
