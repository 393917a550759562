// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { RelaySnapshot } from '../../server/protocol/relay.js';
import { DEFAULTS } from '../../server/config/defaults.js';
import { FakeLink, NOW_ISO, refusal, success } from '../testing/fake-link.js';
import { renderWithStore, unnamedControls } from '../testing/render.js';
import { RelayPanel } from './RelayPanel.js';

let page: ReturnType<typeof renderWithStore> | undefined;

afterEach(() => {
  page?.unmount();
  page = undefined;
  cleanup();
});

const STATUS = {
  state: 'connected' as const,
  reason: null,
  server: 'relay.example.org:4222',
  station_id: 'ea8abc',
  since: NOW_ISO,
  requests_answered: 12,
  requests_dropped: 0,
  events_published: 30,
};

function snapshot(overrides: Partial<RelaySnapshot> = {}): RelaySnapshot {
  const { password: _password, token: _token, ...settings } = DEFAULTS.relay;
  return {
    settings: {
      ...settings,
      enabled: true,
      servers: ['tls://relay.example.org:4222'],
      station_id: 'ea8abc',
      auth: 'user',
      user: 'station-ea8abc',
      password_set: true,
      token_set: false,
    },
    overridden: [],
    status: STATUS,
    ...overrides,
  };
}

async function openPanel(answer: RelaySnapshot = snapshot()) {
  const link = new FakeLink();
  link.answer('admin_get_relay', () => success(answer as unknown as Record<string, unknown>));
  link.answer('admin_set_relay', () => success(answer as unknown as Record<string, unknown>));
  page = renderWithStore(link, <RelayPanel />);
  const form = await screen.findByRole('form', { name: 'Relay settings' });
  return { link, form };
}

describe('public relay in Settings', () => {
  it('shows the state and the stored settings in labelled fields, never a secret', async () => {
    const { form } = await openPanel();
    expect(screen.getByRole('status', { name: 'Relay state' }).textContent).toBe(
      'connected as ea8abc via relay.example.org:4222 · 12 requests answered, 30 events published',
    );
    expect(within(form).getByLabelText<HTMLInputElement>('NATS server URL(s)').value).toBe('tls://relay.example.org:4222');
    expect(within(form).getByLabelText<HTMLInputElement>('Station id').value).toBe('ea8abc');
    const password = within(form).getByLabelText<HTMLInputElement>('Password');
    expect(password.value).toBe('');
    expect(password.placeholder).toBe('saved (leave empty to keep it)');
    expect(unnamedControls(form)).toEqual([]);
  });

  it('saves with admin_set_relay, sending a password only when one is typed', async () => {
    const { link, form } = await openPanel();
    fireEvent.change(within(form).getByLabelText('Station id'), { target: { value: ' k1abc ' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save relay settings' }));
    await waitFor(() => expect(link.sent('admin_set_relay')).toHaveLength(1));
    expect(link.sent('admin_set_relay')[0]).toEqual({
      type: 'admin_set_relay',
      enabled: true,
      servers: ['tls://relay.example.org:4222'],
      station_id: 'k1abc',
      auth: 'user',
      user: 'station-ea8abc',
      creds_file: null,
      callsign_limit_count: 5,
      callsign_limit_window_s: 600,
      registrations_per_minute: 120,
    });
    fireEvent.change(within(form).getByLabelText('Password'), { target: { value: 'new-secret' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save relay settings' }));
    await waitFor(() => expect(link.sent('admin_set_relay')).toHaveLength(2));
    expect(link.sent('admin_set_relay')[1]).toMatchObject({ password: 'new-secret' });
    expect(page?.getState().notice).toMatchObject({ tone: 'info', text: 'Relay settings saved.' });
  });

  it('greys out what the start-up flags decide and does not send it', async () => {
    const { link, form } = await openPanel(snapshot({ overridden: ['servers', 'station_id', 'enabled'] }));
    expect(within(form).getByLabelText<HTMLInputElement>('NATS server URL(s)').disabled).toBe(true);
    expect(within(form).getByLabelText<HTMLInputElement>('Station id').disabled).toBe(true);
    fireEvent.click(within(form).getByRole('button', { name: 'Save relay settings' }));
    await waitFor(() => expect(link.sent('admin_set_relay')).toHaveLength(1));
    const sent = link.sent('admin_set_relay')[0] ?? {};
    expect(Object.keys(sent)).not.toContain('servers');
    expect(Object.keys(sent)).not.toContain('station_id');
    expect(Object.keys(sent)).not.toContain('enabled');
  });

  it('follows relay_update broadcasts', async () => {
    const { link } = await openPanel();
    act(() =>
      link.broadcast({
        type: 'relay_update',
        timestamp: NOW_ISO,
        data: { ...STATUS, state: 'error', reason: 'connection refused (is the NATS server running, and is the port right?)', server: null },
      }),
    );
    expect(screen.getByRole('status', { name: 'Relay state' }).textContent).toMatch(/^error: connection refused/);
  });

  it('shows a refusal as an error notice', async () => {
    const { link, form } = await openPanel();
    link.answer('admin_set_relay', () => refusal('INVALID_REQUEST', { issues: [{ field: 'station_id', problem: 'must be 1–32 characters of a-z, 0-9 and -' }] }));
    fireEvent.change(within(form).getByLabelText('Station id'), { target: { value: 'EA8/ABC' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save relay settings' }));
    await waitFor(() => expect(page?.getState().notice?.tone).toBe('error'));
  });
});
