// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeLink, NOW_ISO, queueOf, refusal, status, success } from '../testing/fake-link.js';
import { renderTranslated, unnamedControls } from '../testing/render.js';
import { PublicPage } from './PublicPage.js';

let page: Awaited<ReturnType<typeof renderTranslated>> | undefined;

afterEach(() => {
  page?.unmount();
  page = undefined;
  cleanup();
});

async function openPage(link: FakeLink) {
  page = await renderTranslated(link, <PublicPage />);
  await waitFor(() => expect(page?.getState().synced).toBe(true));
  return link;
}

function submit(callsign: string) {
  fireEvent.change(screen.getByRole('textbox', { name: 'Your callsign' }), { target: { value: callsign } });
  fireEvent.click(screen.getByRole('button', { name: 'Join the queue' }));
}

describe('registering', () => {
  it('explains an invalid callsign at once, without asking the server', async () => {
    const link = await openPage(new FakeLink());
    submit('KC1 ABC');
    expect((await screen.findByText(/is not a valid callsign/)).textContent).toBe(
      '“KC1 ABC” is not a valid callsign. Use a form like EA1ABC, W1AW or EA8/DL1ABC/P.',
    );
    expect(link.sent('register_callsign')).toEqual([]);
    expect(screen.getByRole('textbox', { name: 'Your callsign' }).getAttribute('aria-invalid')).toBe('true');
  });

  it('confirms the position and estimated wait, and empties the field for the next caller', async () => {
    const link = new FakeLink();
    link.answer('register_callsign', (request) => success({ callsign: request.callsign, position: 1, total_queue: 1, estimated_wait_s: 300 }));
    await openPage(link);
    submit('ea1abc');
    expect(await screen.findByText('EA1ABC is in the queue at position 1 of 1. Estimated wait: about 5 minutes.')).toBeTruthy();
    expect((screen.getByRole('textbox', { name: 'Your callsign' }) as HTMLInputElement).value).toBe('');
  });

  it('shows what the server refused in plain words', async () => {
    const link = new FakeLink();
    link.answer('register_callsign', () => refusal('ALREADY_IN_QUEUE', { callsign: 'EA1ABC', position: 3 }));
    await openPage(link);
    submit('EA1ABC');
    expect(await screen.findByText('EA1ABC is already in the queue, at position 3.')).toBeTruthy();
  });
});

describe('closed states', () => {
  it('says the operator is not taking calls while the system is inactive', async () => {
    await openPage(new FakeLink({ status: status({ system_active: false }) }));
    expect(screen.getByText(/not taking calls right now/)).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Join the queue' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('says the queue is full, and opens again when a place frees up', async () => {
    const link = await openPage(new FakeLink({ status: status({ queue: queueOf('A1A', 'W1AW'), queue_size: 2, max_queue_size: 2 }) }));
    expect(screen.getByText(/The queue is full/)).toBeTruthy();
    act(() =>
      link.broadcast({
        type: 'queue_update',
        timestamp: NOW_ISO,
        data: { total: 1, max_size: 2, change_type: 'user_worked', affected_callsign: 'A1A', queue: queueOf('W1AW') },
      }),
    );
    expect(screen.queryByText(/The queue is full/)).toBeNull();
    expect((screen.getByRole('button', { name: 'Join the queue' }) as HTMLButtonElement).disabled).toBe(false);
  });
});

describe('station offline (public relay)', () => {
  it('says so in the badge and the form, and closes registration until the station is back', async () => {
    const bridge = await openPage(new FakeLink({ status: status({ queue: queueOf('EA1ABC'), queue_size: 1 }) }));
    act(() => bridge.setConnection({ status: 'station-offline', lastSeen: '2025-07-23T10:31:00.000Z' }));
    expect(screen.getByRole('status', { name: 'Connection' }).textContent).toBe('Station offline — last heard 10:31 UTC');
    expect(screen.getByText(/The station is offline right now/)).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Join the queue' }) as HTMLButtonElement).disabled).toBe(true);
    act(() => bridge.setConnection({ status: 'online' }));
    await waitFor(() => expect((screen.getByRole('button', { name: 'Join the queue' }) as HTMLButtonElement).disabled).toBe(false));
  });
});

describe('live view', () => {
  it('shows the queue and the station being worked as they change', async () => {
    const link = await openPage(new FakeLink({ status: status({ queue: queueOf('EA1ABC', 'DL1ABC'), queue_size: 2 }) }));
    act(() =>
      link.broadcast({
        type: 'qso_update',
        timestamp: NOW_ISO,
        data: { callsign: 'EA1ABC', started_at: NOW_ISO, source: 'queue', change_type: 'qso_started', qso_id: 'q1' },
      }),
    );
    expect(screen.getByRole('region', { name: 'Now working' }).textContent).toContain('EA1ABC');
  });

  it('shows wire strings as text, never as markup', async () => {
    const hostile = '<script>window.pwned=1</script>';
    await openPage(new FakeLink({ status: status({ queue: queueOf(hostile), queue_size: 1, frequency: '<i>14</i>' }) }));
    expect(document.querySelector('script, i')).toBeNull();
    expect(document.querySelector('.queue-callsign')?.textContent).toBe(hostile);
  });

  it('gives every control an accessible name', async () => {
    await openPage(new FakeLink());
    expect(unnamedControls(document.body)).toEqual([]);
  });
});
