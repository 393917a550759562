// @vitest-environment happy-dom
/** The console's second round: bearings, no-show, frequency in kHz, the map, rates, sounds, the station settings, sharing. */
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULTS } from '../../server/config/defaults.js';
import { bearingDeg } from '../../server/ham/geo.js';
import { locatorPosition } from '../../server/ham/locator-position.js';
import type { Statistics } from '../../server/protocol/statistics.js';
import { DEFAULT_STATION, stationSnapshot } from '../../server/protocol/station.js';
import { PATTERNS } from '../sound/alerts.js';
import { FakeLink, NOW_ISO, queueOf, RIG_OFF, status, success } from '../testing/fake-link.js';
import { renderWithStore } from '../testing/render.js';
import { Console } from './Console.js';
import MapPanel from './map/MapPanel.js';
import { SoundAlerts } from './SoundAlerts.js';

let page: ReturnType<typeof renderWithStore> | undefined;

afterEach(() => {
  page?.unmount();
  page = undefined;
  cleanup();
});

const PLACED = [
  { callsign: 'JA1XYZ', position: 1, timestamp: NOW_ISO, country: 'Japan', lat: 36.4, lon: 138.38, bearing: 33, distance_km: 8920 },
  { callsign: 'W1AW', position: 2, timestamp: NOW_ISO, country: 'United States', lat: 41.73, lon: -72.71, bearing: 296, distance_km: 6290, no_shows: 1 },
];

function placedLink(station = {}): FakeLink {
  const link = new FakeLink({
    status: status({
      queue: PLACED,
      queue_size: 2,
      current_qso: { callsign: 'VK2DEF', timestamp: NOW_ISO, started_at: NOW_ISO, source: 'queue', qso_id: 'q1', lat: -33.5, lon: 151, bearing: 52, distance_km: 16012 },
      station: { callsign: 'DL1ABC', locator: 'JO62qm', beam_heading: 40, worked_times: false, recent_qsos: true },
    }),
  });
  link.answer('admin_get_station', () => success(stationSnapshot({ ...DEFAULT_STATION, callsign: 'DL1ABC', locator: 'JO62qm', beam_heading: 40, ...station })));
  return link;
}

async function openConsole(link: FakeLink) {
  page = renderWithStore(link, <Console />);
  await screen.findByRole('list', { name: 'Waiting stations' });
  await waitFor(() => expect(page?.getState().station).not.toBeNull());
  return link;
}

const key = (value: string, target: Element = document.body) => fireEvent.keyDown(target, { key: value });

describe('bearing and distance', () => {
  it('shows the short-path bearing and distance on every queue row and the current QSO', async () => {
    await openConsole(placedLink());
    const rows = within(screen.getByRole('list', { name: 'Waiting stations' })).getAllByRole('listitem');
    expect(rows.map((row) => row.querySelector('.queue-bearing')?.textContent)).toEqual(['33° · 8,920 km', '296° · 6,290 km']);
    expect(within(screen.getByRole('region', { name: 'Current QSO' })).getByText('52° · 16,012 km')).toBeTruthy();
    expect(rows[1]?.textContent).toContain('no-show ×1');
  });

  it('shows miles when the operator chose them', async () => {
    await openConsole(placedLink({ distance_unit: 'mi' }));
    await waitFor(() => expect(document.querySelector('.queue-bearing')?.textContent).toBe('33° · 5,543 mi'));
  });
});

describe('no-show', () => {
  it('marks the current caller as a no-show with the button or S', async () => {
    const link = await openConsole(placedLink());
    link.answer('admin_no_show', () => success({ callsign: 'VK2DEF', no_shows: 1, strikes: 3, requeued: true, position: 3, queue_size: 3 }));
    fireEvent.click(screen.getByRole('button', { name: /No-show/ }));
    await waitFor(() => expect(link.sent('admin_no_show')).toHaveLength(1));
    expect(await screen.findByText('VK2DEF did not answer (1 of 3): back in the queue at 3.')).toBeTruthy();
    key('s');
    await waitFor(() => expect(link.sent('admin_no_show')).toHaveLength(2));
  });

  it('does nothing on S without a current QSO', async () => {
    const link = await openConsole(new FakeLink({ status: status({ queue: queueOf('EA1ABC'), queue_size: 1 }) }));
    key('s');
    expect(link.sent('admin_no_show')).toEqual([]);
  });
});

describe('frequency entry', () => {
  it('F focuses the frequency and selects its text, so typing replaces it', async () => {
    await openConsole(new FakeLink({ status: status({ queue: queueOf('EA1ABC'), queue_size: 1, frequency: '14.195' }) }));
    const field = screen.getByRole('textbox', { name: 'MHz or kHz' }) as HTMLInputElement;
    await waitFor(() => expect(field.value).toBe('14.195'));
    key('f');
    expect(document.activeElement).toBe(field);
    expect([field.selectionStart, field.selectionEnd]).toEqual([0, 6]);
  });

  it('understands kHz and sends MHz', async () => {
    const link = await openConsole(new FakeLink({ status: status({ queue: queueOf('EA1ABC'), queue_size: 1 }) }));
    fireEvent.change(screen.getByRole('textbox', { name: 'MHz or kHz' }), { target: { value: '14195' } });
    fireEvent.click(screen.getByRole('button', { name: 'Set frequency' }));
    await waitFor(() => expect(link.sent('admin_set_frequency')).toEqual([{ type: 'admin_set_frequency', frequency: '14.195' }]));
  });

  it('refuses a frequency outside the amateur bands with the server’s message, sending nothing', async () => {
    const link = await openConsole(new FakeLink({ status: status({ queue: queueOf('EA1ABC'), queue_size: 1 }) }));
    const field = screen.getByRole('textbox', { name: 'MHz or kHz' });
    fireEvent.change(field, { target: { value: '14500' } });
    fireEvent.click(screen.getByRole('button', { name: 'Set frequency' }));
    expect(screen.getByRole('alert').textContent).toBe(
      'Frequency 14500 is outside the amateur bands, read as MHz and as kHz (14.5 MHz); give MHz (14.195) or kHz (14195).',
    );
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect(link.sent('admin_set_frequency')).toEqual([]);
  });
});

describe('the map', () => {
  it('centres on the station and plots the current QSO, the waiting callers and recent QSOs, with the beam heading', async () => {
    const link = placedLink();
    link.answer('get_recent_qsos', () => success({ shown: true, qsos: [{ qso_id: 'r1', callsign: 'PY2ABC', lat: -23.5, lon: -46.6, bearing: 230, distance_km: 10000 }] }));
    page = renderWithStore(link, <MapPanel />);
    await waitFor(() => expect(document.querySelectorAll('.map-mark')).toHaveLength(4));
    const marks = [...document.querySelectorAll('.map-mark')].map((mark) => [mark.getAttribute('class'), mark.querySelector('title')?.textContent]);
    expect(marks).toEqual([
      ['map-mark is-current', 'VK2DEF, working now, 52° · 16,012 km'],
      ['map-mark is-waiting', 'JA1XYZ, waiting, 33° · 8,920 km'],
      ['map-mark is-waiting', 'W1AW, waiting, 296° · 6,290 km'],
      ['map-mark is-recent', 'PY2ABC, worked, 230° · 10,000 km'],
    ]);
    expect(document.querySelector('.map-beam title')?.textContent).toBe('Beam heading 40°');
    expect(document.querySelector('.map-land')?.getAttribute('d')?.length).toBeGreaterThan(1000);
    expect(screen.getByRole('img').getAttribute('aria-label')).toBe('World map centred on JO62qm: 3 waiting or being worked, 1 recent QSOs');
  });

  it('draws the great circle to a caller as a straight line from the centre, in the caller’s direction', async () => {
    page = renderWithStore(placedLink(), <MapPanel />);
    await waitFor(() => expect(document.querySelector('.map-home')).not.toBeNull());
    const home = document.querySelector('.map-home');
    const [cx, cy] = [Number(home?.getAttribute('cx')), Number(home?.getAttribute('cy'))];
    const [x, y] = (document.querySelector('.map-mark.is-waiting')?.getAttribute('transform') ?? '').match(/-?[\d.]+/g)!.map(Number) as [number, number];
    // Screen angle from north (up), clockwise: the great-circle bearing from the station to JA1XYZ.
    const angle = (Math.atan2(x - cx, cy - y) * 180) / Math.PI;
    expect(angle).toBeCloseTo(bearingDeg(locatorPosition('JO62qm')!, { lat: 36.4, lon: 138.38 }), 0);
  });

  it('asks for the station’s locator when it has none', async () => {
    const link = new FakeLink({ status: status({ queue: queueOf('EA1ABC'), queue_size: 1 }) });
    page = renderWithStore(link, <MapPanel />);
    expect(await screen.findByText(/Set your station’s locator under Settings/)).toBeTruthy();
  });
});

const STATS: Statistics = {
  total_qsos: 120,
  unique_callsigns: 118,
  rates: { last_10: 95, last_100: 80, last_hour: 72 },
  per_10_minutes: Array.from({ length: 12 }, (_, i) => ({ start: new Date(Date.parse(NOW_ISO) - (11 - i) * 600_000).toISOString(), qsos: i, registrations: 12 - i })),
  median_wait_s: 240,
  wait_sample: 90,
  by_band: { '20m': 100, '40m': 20 },
  by_continent: { EU: 90, NA: 30 },
};

describe('rates and statistics', () => {
  it('shows the rate meter, the median wait, the 10-minute chart and the counts', async () => {
    const link = await openConsole(placedLink());
    link.answer('admin_get_stats', () => success(STATS));
    fireEvent.click(screen.getByRole('tab', { name: 'Rates' }));
    await screen.findByText(/120 QSOs with 118 stations/);
    expect(screen.getByLabelText('QSO rate, QSOs per hour').textContent).toBe('Last 1095Last 10080Last hour72');
    expect(screen.getByText(/median wait 4 min/)).toBeTruthy();
    expect(document.querySelectorAll('.bar-qsos')).toHaveLength(12);
    expect(within(screen.getByRole('region', { name: 'By band' })).getByText('20m')).toBeTruthy();
    expect(within(screen.getByRole('region', { name: 'By continent' })).getByText('NA')).toBeTruthy();
  });

  it('reads the statistics again when a QSO is logged', async () => {
    const link = await openConsole(placedLink());
    link.answer('admin_get_stats', () => success(STATS));
    fireEvent.click(screen.getByRole('tab', { name: 'Rates' }));
    await screen.findByText(/120 QSOs/);
    const before = link.sent('admin_get_stats').length;
    link.answer('admin_get_log', () => success({ total: 121, offset: 0, entries: [] }));
    act(() =>
      link.broadcast({
        type: 'qso_update',
        timestamp: NOW_ISO,
        data: { callsign: 'VK2DEF', started_at: NOW_ISO, source: 'queue', change_type: 'qso_completed', qso_id: 'q1', ended_at: NOW_ISO },
      }),
    );
    await waitFor(() => expect(link.sent('admin_get_stats').length).toBeGreaterThan(before), { timeout: 3000 });
  });
});

/** A stand-in for Web Audio that records the tones it was asked to play. */
function fakeAudio() {
  const tones: number[] = [];
  const param = { value: 0, setValueAtTime: () => undefined, linearRampToValueAtTime: () => undefined };
  const context = {
    currentTime: 0,
    destination: {} as AudioNode,
    state: 'running' as AudioContextState,
    resume: async () => undefined,
    createGain: () => ({ gain: param, connect: () => undefined }) as unknown as GainNode,
    createOscillator: () => {
      const oscillator = { type: 'sine', frequency: { value: 0 }, connect: () => undefined, start: () => tones.push(oscillator.frequency.value), stop: () => undefined };
      return oscillator as unknown as OscillatorNode;
    },
  };
  return { tones, create: () => context };
}

const tonesOf = (event: keyof typeof PATTERNS) => PATTERNS[event].map(([frequency]) => frequency);

describe('sounds', () => {
  function registered(link: FakeLink, total: number, max_size = 4) {
    act(() =>
      link.broadcast({
        type: 'queue_update',
        timestamp: NOW_ISO,
        data: { total, max_size, change_type: 'registered', affected_callsign: 'G0ABC', queue: queueOf(...Array.from({ length: total }, (_, i) => `G${i}ABC`)) },
      }),
    );
  }

  async function listen(station = {}) {
    const link = placedLink(station);
    const audio = fakeAudio();
    page = renderWithStore(link, <SoundAlerts createContext={audio.create} />);
    await waitFor(() => expect(page?.getState().station).not.toBeNull());
    return { link, audio };
  }

  it('sounds when a station registers into an empty queue, and when the queue becomes full', async () => {
    const { link, audio } = await listen();
    registered(link, 1);
    expect(audio.tones).toEqual(tonesOf('first_caller'));
    registered(link, 2);
    expect(audio.tones).toEqual(tonesOf('first_caller'));
    registered(link, 4);
    expect(audio.tones).toEqual([...tonesOf('first_caller'), ...tonesOf('queue_full')]);
  });

  it('sounds when a logger bridge stops listening, and when the connection is lost', async () => {
    const { link, audio } = await listen();
    const counts = { datagrams: 0, accepted: 0, ignored: 0, not_allowed: 0, rate_limited: 0, superseded: 0, extra_qsos: 0 };
    const bridge = { name: 'wsjtx' as const, port: 2237, address: '0.0.0.0', error: null, ...counts, last_datagram: null, working_call: null };
    const settings = { ...DEFAULTS.bridges, wsjtx_port: 2237 };
    act(() => link.broadcast({ type: 'bridges_update', timestamp: NOW_ISO, data: { settings, bridges: [{ ...bridge, state: 'listening' }], rig: RIG_OFF } }));
    act(() => link.broadcast({ type: 'bridges_update', timestamp: NOW_ISO, data: { settings, bridges: [{ ...bridge, state: 'error', error: 'port in use' }], rig: RIG_OFF } }));
    expect(audio.tones).toEqual(tonesOf('bridge_down'));
    act(() => link.setConnection({ status: 'offline', attempt: 1 }));
    expect(audio.tones).toEqual([...tonesOf('bridge_down'), ...tonesOf('connection_lost')]);
  });

  it('sounds when the public relay loses its connection, but not when the operator switches it off', async () => {
    const { link, audio } = await listen();
    const status = { reason: null, server: '127.0.0.1:4222', station_id: 'ea8abc', since: NOW_ISO, requests_answered: 0, requests_dropped: 0, events_published: 0 };
    const relay = (state: 'off' | 'connecting' | 'connected' | 'error') =>
      act(() => link.broadcast({ type: 'relay_update', timestamp: NOW_ISO, data: { ...status, state } }));
    relay('connected');
    relay('connecting');
    expect(audio.tones).toEqual(tonesOf('relay_down'));
    relay('connected');
    relay('off');
    expect(audio.tones).toEqual(tonesOf('relay_down'));
  });

  it('keeps quiet for an event the operator switched off', async () => {
    const { link, audio } = await listen({ sounds: { ...DEFAULT_STATION.sounds, first_caller: false } });
    registered(link, 1);
    expect(audio.tones).toEqual([]);
  });

  it('ignores other queue changes', async () => {
    const { link, audio } = await listen();
    act(() =>
      link.broadcast({ type: 'queue_update', timestamp: NOW_ISO, data: { total: 1, max_size: 4, change_type: 'no_show', affected_callsign: 'G0ABC', queue: queueOf('G0ABC') } }),
    );
    expect(audio.tones).toEqual([]);
  });
});

describe('station settings', () => {
  it('saves the callsign, locator, unit, beam heading, what callers see and the no-show rule', async () => {
    const link = await openConsole(placedLink());
    fireEvent.click(screen.getByRole('tab', { name: 'Settings' }));
    const form = await screen.findByRole('form', { name: 'Station' });
    fireEvent.change(within(form).getByLabelText('Callsign'), { target: { value: 'ea8/dl1abc' } });
    fireEvent.change(within(form).getByLabelText('Locator'), { target: { value: 'il18rj' } });
    fireEvent.change(within(form).getByLabelText('Distances in'), { target: { value: 'mi' } });
    fireEvent.change(within(form).getByLabelText('Beam heading (°)'), { target: { value: '120' } });
    fireEvent.click(within(form).getByRole('checkbox', { name: 'the beam heading' }));
    fireEvent.change(within(form).getByLabelText('Back behind the next'), { target: { value: '2' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save station' }));
    await waitFor(() =>
      expect(link.sent('admin_set_station')).toEqual([
        {
          type: 'admin_set_station',
          callsign: 'ea8/dl1abc',
          locator: 'il18rj',
          distance_unit: 'mi',
          beam_heading: 120,
          public_beam_heading: true,
          public_worked_times: false,
          public_recent_qsos: true,
          no_show_requeue_after: 2,
          no_show_strikes: 3,
        },
      ]),
    );
  });

  it('explains a locator that is not one and sends nothing', async () => {
    const link = await openConsole(placedLink());
    fireEvent.click(screen.getByRole('tab', { name: 'Settings' }));
    const form = await screen.findByRole('form', { name: 'Station' });
    fireEvent.change(within(form).getByLabelText('Locator'), { target: { value: 'ZZ99' } });
    expect(within(form).getByText(/The locator must be a Maidenhead locator/)).toBeTruthy();
    fireEvent.click(within(form).getByRole('button', { name: 'Save station' }));
    expect(link.sent('admin_set_station')).toEqual([]);
  });

  it('switches a sound off at once', async () => {
    const link = await openConsole(placedLink());
    fireEvent.click(screen.getByRole('tab', { name: 'Settings' }));
    fireEvent.click(await screen.findByRole('checkbox', { name: 'The queue becomes full' }));
    await waitFor(() => expect(link.sent('admin_set_station')).toEqual([{ type: 'admin_set_station', sounds: { queue_full: false } }]));
  });
});

describe('sharing the station', () => {
  it('shows the console and public page addresses, and a QR code of the public page', async () => {
    const link = placedLink();
    link.appInfo = { ...link.appInfo, consoleUrls: ['http://192.168.1.20:8000/admin'], publicUrls: ['http://192.168.1.20:8000/'] };
    await openConsole(link);
    expect(document.querySelector('.header-addresses')?.textContent).toContain('http://192.168.1.20:8000/admin');
    fireEvent.click(screen.getByRole('button', { name: 'Share the addresses and QR code' }));
    const dialog = screen.getByRole('dialog', { name: 'Addresses of this station' });
    const qr = await within(dialog).findByRole('img', { name: 'QR code of the public page, http://192.168.1.20:8000/' });
    expect(qr.getAttribute('src')).toMatch(/^data:image\/svg\+xml;charset=utf-8,%3Csvg/);
    expect(dialog.textContent).toContain('ws://192.168.1.20:8000/api/ws');
  });
});
