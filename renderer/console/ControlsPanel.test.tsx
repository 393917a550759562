// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULTS } from '../../server/config/defaults.js';
import { FakeLink, NOW_ISO, queueOf, RIG_OFF, status, success } from '../testing/fake-link.js';
import type { BridgeStatus } from '../../server/protocol/bridges.js';
import { renderWithStore } from '../testing/render.js';
import { Console } from './Console.js';

const CONTROLS = {
  rate_limit_count: 10,
  rate_limit_window_s: 60,
  rate_limit_exempt_loopback: true,
  worked_recently_minutes: 0,
  registration_paused: false,
  bans: [{ callsign: 'W1AW', reason: 'jamming', banned_at: NOW_ISO, only_this_form: false }],
};

let page: ReturnType<typeof renderWithStore> | undefined;

afterEach(() => {
  page?.unmount();
  page = undefined;
  cleanup();
});

async function openConsole(paused = false) {
  const link = new FakeLink({ status: status({ queue: queueOf('EA1ABC', 'DL1ABC'), queue_size: 2, registration_paused: paused }) });
  link.answer('admin_get_controls', () => success({ ...CONTROLS, registration_paused: paused }));
  // The Settings tab also shows the logger bridges.
  link.answer('admin_get_bridges', () => success({ settings: DEFAULTS.bridges, bridges: [], rig: RIG_OFF }));
  page = renderWithStore(link, <Console />);
  await screen.findByRole('list', { name: 'Waiting stations' });
  return link;
}

describe('pileup control in the console', () => {
  it('bans a station straight from the queue, asking for a reason first (Enter confirms)', async () => {
    const link = await openConsole();
    fireEvent.click(screen.getByRole('button', { name: 'Ban DL1ABC' }));
    const dialog = await screen.findByRole('dialog', { name: 'Ban DL1ABC?' });
    expect(link.sent('admin_ban_callsign')).toEqual([]);
    const reason = within(dialog).getByLabelText('Reason (only you see it)');
    fireEvent.change(reason, { target: { value: 'calls over the DX' } });
    fireEvent.submit(reason.closest('form') as HTMLFormElement);
    await waitFor(() =>
      expect(link.sent('admin_ban_callsign')).toEqual([{ type: 'admin_ban_callsign', callsign: 'DL1ABC', reason: 'calls over the DX' }]),
    );
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('bans only that form when ticked, and Escape cancels without banning', async () => {
    const link = await openConsole();
    fireEvent.click(screen.getByRole('button', { name: 'Ban DL1ABC' }));
    let dialog = await screen.findByRole('dialog', { name: 'Ban DL1ABC?' });
    fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Ban DL1ABC' }));
    dialog = await screen.findByRole('dialog', { name: 'Ban DL1ABC?' });
    fireEvent.click(within(dialog).getByRole('checkbox', { name: /Only this form/ }));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Ban' }));
    await waitFor(() =>
      expect(link.sent('admin_ban_callsign')).toEqual([{ type: 'admin_ban_callsign', callsign: 'DL1ABC', only_this_form: true }]),
    );
  });

  it('offers to undo a ban for a minute, and Undo asks the server to restore the places', async () => {
    const link = await openConsole();
    link.answer('admin_ban_callsign', () =>
      success({ callsign: 'DL1ABC', reason: null, banned_at: NOW_ISO, only_this_form: false, removed_from_queue: true, removed_callsigns: ['DL1ABC'], banned_count: 1 }),
    );
    link.answer('admin_unban_callsign', () => success({ callsign: 'DL1ABC', unbanned: true, banned_count: 0, restored_to_queue: ['DL1ABC'] }));
    fireEvent.click(screen.getByRole('button', { name: 'Ban DL1ABC' }));
    fireEvent.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Ban' }));
    expect(await screen.findByText('DL1ABC is banned (every form of the call); taken out of the queue: DL1ABC.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Undo' }));
    await waitFor(() => expect(link.sent('admin_unban_callsign')).toEqual([{ type: 'admin_unban_callsign', callsign: 'DL1ABC', undo: true }]));
    expect(await screen.findByText('Ban of DL1ABC undone; back in the queue: DL1ABC.')).toBeTruthy();
  });

  it('pauses registration from the queue, and shows the pause until a broadcast resumes it', async () => {
    const link = await openConsole();
    fireEvent.click(screen.getByRole('button', { name: 'Pause registration' }));
    await waitFor(() => expect(link.sent('admin_pause_registration')).toHaveLength(1));
    act(() =>
      link.broadcast({
        type: 'controls_update',
        timestamp: NOW_ISO,
        data: { ...CONTROLS, registration_paused: true, banned_count: 1, change_type: 'paused', affected_callsign: null },
      }),
    );
    expect(await screen.findByText('registration paused')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Resume registration' }));
    await waitFor(() => expect(link.sent('admin_resume_registration')).toHaveLength(1));
  });

  it('lists bans with their reason on the Settings tab, and unbans', async () => {
    const link = await openConsole();
    fireEvent.click(screen.getByRole('tab', { name: 'Settings' }));
    const bans = await screen.findByRole('list', { name: 'Banned callsigns' });
    expect(within(bans).getByText('W1AW', { selector: 'strong' })).toBeTruthy();
    expect(within(bans).getByText(/jamming/)).toBeTruthy();
    fireEvent.click(within(bans).getByRole('button', { name: 'Unban W1AW' }));
    await waitFor(() => expect(link.sent('admin_unban_callsign')).toEqual([{ type: 'admin_unban_callsign', callsign: 'W1AW' }]));
  });

  it('saves the registration rules', async () => {
    const link = await openConsole();
    fireEvent.click(screen.getByRole('tab', { name: 'Settings' }));
    const rules = await screen.findByRole('form', { name: 'Registration rules' });
    fireEvent.change(within(rules).getByRole('spinbutton', { name: /worked in the last/ }), { target: { value: '30' } });
    fireEvent.submit(rules);
    await waitFor(() =>
      expect(link.sent('admin_set_registration_rules')).toEqual([
        {
          type: 'admin_set_registration_rules',
          rate_limit_count: 10,
          rate_limit_window_s: 60,
          rate_limit_exempt_loopback: true,
          worked_recently_minutes: 30,
        },
      ]),
    );
  });
});

describe("the logger's call in the queue", () => {
  it('marks the waiting caller the logger is working (bridges_update working_call)', async () => {
    const link = await openConsole();
    const bridge: Omit<BridgeStatus, 'working_call'> = { name: 'wsjtx', state: 'listening', port: 2237, address: '127.0.0.1', error: null, datagrams: 3, accepted: 3, ignored: 0, not_allowed: 0, rate_limited: 0, superseded: 0, extra_qsos: 0, last_datagram: null };
    const settings = { ...DEFAULTS.bridges, wsjtx_port: 2237 };
    act(() => link.broadcast({ type: 'bridges_update', timestamp: NOW_ISO, data: { settings, bridges: [{ ...bridge, working_call: 'DL1ABC' }], rig: RIG_OFF } }));
    const row = (await screen.findByText('in the logger')).closest('li');
    expect(row?.textContent).toContain('DL1ABC');
    expect(row?.className).toContain('is-logger-call');
    act(() => link.broadcast({ type: 'bridges_update', timestamp: NOW_ISO, data: { settings, bridges: [{ ...bridge, working_call: null }], rig: RIG_OFF } }));
    await waitFor(() => expect(screen.queryByText('in the logger')).toBeNull());
  });
});
