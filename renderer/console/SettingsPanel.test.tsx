// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeLink, refusal, RIG_OFF, success } from '../testing/fake-link.js';
import { renderWithStore, unnamedControls } from '../testing/render.js';
import type { RigStatus } from '../../server/protocol/rig.js';
import { SettingsPanel } from './SettingsPanel.js';

let page: ReturnType<typeof renderWithStore> | undefined;

afterEach(() => {
  page?.unmount();
  page = undefined;
  cleanup();
});

const CONTROLS = {
  rate_limit_count: 10,
  rate_limit_window_s: 60,
  rate_limit_exempt_loopback: true,
  worked_recently_minutes: 0,
  registration_paused: false,
  bans: [],
};
const ACTIVE = { active_host: '0.0.0.0', active_port: 8000, applies_after_restart: true };
const BRIDGE_SETTINGS = {
  wsjtx_port: 0,
  wsjtx_multicast_group: null,
  n1mm_port: 0,
  bind_address: null,
  allowed_senders: ['192.168.1.7'],
  rigctld_enabled: false,
  rigctld_host: '127.0.0.1',
  rigctld_port: 4532,
  wsjtx_highlight: false,
  follow_logger: false,
};

async function openSettings() {
  const link = new FakeLink();
  // The other Settings groups read these.
  link.answer('admin_get_bridges', () => success({ settings: { ...BRIDGE_SETTINGS }, bridges: [], rig: RIG_OFF }));
  link.answer('admin_get_controls', () => success({ ...CONTROLS }));
  link.answer('admin_get_listen', () => success({ host: '0.0.0.0', port: 8000, ...ACTIVE }));
  link.answer('admin_set_listen', (request) => success({ host: request.host, port: request.port, ...ACTIVE }));
  page = renderWithStore(link, <SettingsPanel />);
  const form = await screen.findByRole('form', { name: 'Listen address' });
  await waitFor(() => expect(within(form).getByLabelText<HTMLInputElement>('Port').value).toBe('8000'));
  return { link, form };
}

describe('listen address in Settings', () => {
  it('shows the address in use and the stored one in labelled fields', async () => {
    const { form } = await openSettings();
    expect(within(form).getByText('0.0.0.0:8000')).toBeTruthy();
    expect(within(form).getByLabelText<HTMLInputElement>('Bind address').value).toBe('0.0.0.0');
    expect(within(form).getByText(/Applies after a restart/)).toBeTruthy();
    expect(unnamedControls(form)).toEqual([]);
  });

  it('saves host and port with admin_set_listen and says it applies after restart', async () => {
    const { link, form } = await openSettings();
    fireEvent.change(within(form).getByLabelText('Bind address'), { target: { value: ' 127.0.0.1 ' } });
    fireEvent.change(within(form).getByLabelText('Port'), { target: { value: '8001' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save listen address' }));
    await waitFor(() => expect(link.sent('admin_set_listen')).toEqual([{ type: 'admin_set_listen', host: '127.0.0.1', port: 8001 }]));
    expect(await within(form).findByText('Saved: applies after restart.')).toBeTruthy();
    expect(page?.getState().notice).toMatchObject({ tone: 'info', text: 'Saved: applies after restart.' });
    // The running server keeps its address until then.
    expect(within(form).getByText('0.0.0.0:8000')).toBeTruthy();
  });

  it('shows a refusal as an error notice, not as saved', async () => {
    const { link, form } = await openSettings();
    link.answer('admin_set_listen', () => refusal('INVALID_REQUEST'));
    fireEvent.change(within(form).getByLabelText('Bind address'), { target: { value: 'example.com' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save listen address' }));
    await waitFor(() => expect(page?.getState().notice?.tone).toBe('error'));
    expect(within(form).queryByText('Saved: applies after restart.')).toBeNull();
  });
});

describe('logger bridges in Settings', () => {
  it('shows who may send to the bridges and saves a new list with admin_set_bridges', async () => {
    const { link } = await openSettings();
    link.answer('admin_set_bridges', (request) => success({ settings: { ...BRIDGE_SETTINGS, allowed_senders: request.allowed_senders }, bridges: [], rig: RIG_OFF }));
    const form = await screen.findByRole('form', { name: 'Allowed senders' });
    const input = within(form).getByLabelText<HTMLInputElement>('Allowed senders');
    expect(input.value).toBe('192.168.1.7');
    fireEvent.change(input, { target: { value: ' 192.168.1.0/24, ,10.0.0.7 ' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save allowed senders' }));
    await waitFor(() =>
      expect(link.sent('admin_set_bridges')).toEqual([{ type: 'admin_set_bridges', allowed_senders: ['192.168.1.0/24', '10.0.0.7'] }]),
    );
    expect(unnamedControls(form)).toEqual([]);
  });

  it('switches "follow the rig" on at the host and port typed, with admin_set_bridges', async () => {
    const { link } = await openSettings();
    link.answer('admin_set_bridges', (request) =>
      success({ settings: { ...BRIDGE_SETTINGS, ...request }, bridges: [], rig: { ...RIG_OFF, state: 'connecting', host: request.rigctld_host ?? '', port: request.rigctld_port ?? 0 } }),
    );
    const form = await screen.findByRole('form', { name: 'Follow the rig (rigctld)' });
    expect(within(form).getByText('off')).toBeTruthy();
    fireEvent.change(within(form).getByLabelText('rigctld host'), { target: { value: ' shack-pi.local ' } });
    fireEvent.change(within(form).getByLabelText('rigctld port'), { target: { value: '4533' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Switch on follow the rig' }));
    await waitFor(() =>
      expect(link.sent('admin_set_bridges')).toEqual([{ type: 'admin_set_bridges', rigctld_enabled: true, rigctld_host: 'shack-pi.local', rigctld_port: 4533 }]),
    );
    expect(await within(form).findByText('connecting to rigctld at shack-pi.local:4533…')).toBeTruthy();
    expect(within(form).getByRole('button', { name: 'Switch off follow the rig' })).toBeTruthy();
    expect(unnamedControls(form)).toEqual([]);
  });

  it('shows the rig\'s last reading, a rig-side error, and why it is not connected', async () => {
    const { link } = await openSettings();
    const connected: RigStatus = {
      ...RIG_OFF,
      state: 'connected',
      error: 'rig: Communication timed out (RPRT -5 to f)',
      frequency: '14.074',
      rig_mode: 'PKTUSB',
      passband_hz: 3000,
      last_poll_at: '2025-07-23T10:30:00.000Z',
      polls: 12,
      changes: 2,
    };
    link.broadcast({ type: 'bridges_update', timestamp: '2025-07-23T10:30:00.000Z', data: { settings: { ...BRIDGE_SETTINGS, rigctld_enabled: true }, bridges: [], rig: connected } });
    const form = await screen.findByRole('form', { name: 'Follow the rig (rigctld)' });
    await waitFor(() => expect(within(form).getByText('connected to rigctld at 127.0.0.1:4532')).toBeTruthy());
    expect(within(form).getByText(/Rig at 14\.074 MHz PKTUSB \(a data mode: the station keeps its own mode\), polled 10:30:00 UTC; the station followed it 2 times\./)).toBeTruthy();
    expect(within(form).getByText('rig: Communication timed out (RPRT -5 to f)')).toBeTruthy();

    const refused = 'connection refused at 127.0.0.1:4532: is rigctld running (rigctld -m MODEL -r PORT -t 4532)?';
    link.broadcast({
      type: 'bridges_update',
      timestamp: '2025-07-23T10:30:05.000Z',
      data: { settings: { ...BRIDGE_SETTINGS, rigctld_enabled: true }, bridges: [], rig: { ...connected, state: 'error', error: refused, retry_at: '2025-07-23T10:30:06.000Z' } },
    });
    expect(await within(form).findByText(`not connected: ${refused} (trying again at 10:30:06 UTC)`)).toBeTruthy();
  });

  it('switches highlighting in WSJT-X and following the logger with admin_set_bridges (both off at first)', async () => {
    const { link } = await openSettings();
    link.answer('admin_set_bridges', (request) => success({ settings: { ...BRIDGE_SETTINGS, ...request, type: undefined }, bridges: [], rig: RIG_OFF }));
    const group = await screen.findByRole('group', { name: 'Logger options' });
    const highlight = within(group).getByLabelText<HTMLInputElement>('Highlight the queue in WSJT-X');
    const follow = within(group).getByLabelText<HTMLInputElement>('Follow the logger');
    expect([highlight.checked, follow.checked]).toEqual([false, false]);
    fireEvent.click(highlight);
    await waitFor(() => expect(link.sent('admin_set_bridges')).toEqual([{ type: 'admin_set_bridges', wsjtx_highlight: true }]));
    await waitFor(() => expect(within(group).getByLabelText<HTMLInputElement>('Highlight the queue in WSJT-X').checked).toBe(true));
    fireEvent.click(follow);
    await waitFor(() => expect(link.sent('admin_set_bridges')).toHaveLength(2));
    expect(link.sent('admin_set_bridges')[1]).toEqual({ type: 'admin_set_bridges', follow_logger: true });
    expect(unnamedControls(group)).toEqual([]);
  });
});
