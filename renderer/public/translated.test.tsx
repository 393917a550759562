// @vitest-environment happy-dom
/**
 * The public page in the callers' languages: every sentence from a catalogue (nothing
 * hard-coded), callsigns, UTC times, bands and modes left as they are (`translate="no"`), and a
 * switcher that changes the language and remembers it.
 */
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeLink, NOW_ISO, queueOf, status, success } from '../testing/fake-link.js';
import { renderTranslated } from '../testing/render.js';
import { PublicPage } from './PublicPage.js';

let page: Awaited<ReturnType<typeof renderTranslated>> | undefined;

afterEach(() => {
  page?.unmount();
  page = undefined;
  cleanup();
  window.localStorage.clear();
});

/** A busy evening: everything the page can show is on it. */
function busyLink(): FakeLink {
  // As the public page's own link: a session exists, and nobody is logged in.
  const link = new FakeLink({
    login: 'logged-out',
    status: status({
      queue: [{ ...queueOf('EA1ABC')[0]!, country: 'Spain' }, ...queueOf('', 'DL1ABC').slice(1)],
      queue_size: 5,
      max_queue_size: 10,
      frequency: '14.195',
      mode: 'SSB',
      split: 'up 5',
      current_qso: { callsign: 'JA1XYZ', timestamp: NOW_ISO, started_at: NOW_ISO, source: 'queue', qso_id: 'q9', country: 'Japan' },
      station: { callsign: 'EA8/DL1ABC', locator: 'IL18rj', beam_heading: 45, worked_times: true, recent_qsos: true },
    }),
  });
  link.answer('get_recent_qsos', () =>
    success({
      shown: true,
      qsos: [{ qso_id: 'q1', callsign: 'W1AW', band: '20m', mode: 'SSB', country: 'United States', ended_at: NOW_ISO }],
    }),
  );
  link.answer('search_log', (request) =>
    success({ callsign: request.callsign, total_qsos: 2, worked: [{ band: '20m', mode: 'SSB', qsos: 2, last_worked_at: NOW_ISO }] }),
  );
  return link;
}

async function open(link: FakeLink, language: Parameters<typeof renderTranslated>[2]) {
  page = await renderTranslated(link, <PublicPage />, language);
  await waitFor(() => expect(page?.getState().synced).toBe(true));
  await waitFor(() => expect(page?.getState().recent.qsos).toHaveLength(1));
}

/** A catalogue key as i18next's 'cimode' shows it instead of the text. */
const KEY = /^[a-zA-Z]+(\.[a-zA-Z_]+)+$/;
/** What may stand outside the catalogues: punctuation between data. */
const PUNCTUATION = /^[\s·…—,:]*$/;

function untranslatedText(root: HTMLElement): string[] {
  const found: string[] = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
    const text = node.textContent ?? '';
    const parent = node.parentElement;
    if (parent === null || parent.closest('[translate="no"], option, script, style') !== null) continue;
    if (PUNCTUATION.test(text) || KEY.test(text.trim())) continue;
    found.push(text);
  }
  for (const element of root.querySelectorAll<HTMLElement>('[aria-label], [placeholder], [title], [alt]')) {
    for (const name of ['aria-label', 'title', 'alt']) {
      const value = element.getAttribute(name);
      if (value !== null && !KEY.test(value)) found.push(`${name}=${value}`);
    }
    // Placeholders show an example callsign or locator: data, not words.
    const placeholder = element.getAttribute('placeholder');
    if (placeholder !== null && element.closest('[translate="no"]') === null && !KEY.test(placeholder)) found.push(`placeholder=${placeholder}`);
  }
  return found;
}

describe('the public page’s words', () => {
  it('come from the catalogues only: with keys shown instead of text, no other words are left', async () => {
    const link = busyLink();
    await open(link, 'cimode');
    fireEvent.change(screen.getByRole('textbox', { name: 'search.callsign' }), { target: { value: 'W1AW' } });
    fireEvent.click(screen.getByRole('button', { name: 'search.submit' }));
    await screen.findByText('search.found');
    fireEvent.change(screen.getByRole('textbox', { name: 'register.callsign' }), { target: { value: 'KC1 ABC' } });
    fireEvent.click(screen.getByRole('button', { name: 'register.submit' }));
    await screen.findByText('error.NOT_A_CALLSIGN');
    expect(untranslatedText(document.body)).toEqual([]);
  });

  it('read in Japanese, with callsigns, band, mode and UTC times untouched', async () => {
    await open(busyLink(), 'ja');
    expect(screen.getByRole('heading', { name: '順番待ちに登録' })).toBeTruthy();
    expect(screen.getByRole('region', { name: '交信中' }).textContent).toContain('JA1XYZ');
    expect(screen.getByText('14.195 MHz SSB')).toBeTruthy();
    const recent = screen.getByRole('list', { name: '最近交信した局' });
    expect(recent.textContent).toContain('W1AW');
    expect(recent.textContent).toContain('20m SSB');
    expect(recent.textContent).toContain('10:30 UTC');
    expect(screen.getByText('45°')).toBeTruthy();
  });

  it('switch language with the switcher, which remembers the choice', async () => {
    await open(busyLink(), 'en');
    fireEvent.change(screen.getByRole('combobox', { name: 'Language' }), { target: { value: 'de' } });
    await screen.findByRole('heading', { name: 'In die Warteschlange' });
    expect(window.localStorage.getItem('pileup-buster.language')).toBe('de');
    expect(document.documentElement.lang).toBe('de');
    expect(document.title).toBe('Pileup Buster — in die Warteschlange');
  });

  it('say a refusal in the caller’s language', async () => {
    const link = busyLink();
    link.answer('register_callsign', () => ({ type: 'error', request_id: null, error_code: 'QUEUE_FULL', message: 'Queue is full' }));
    await open(link, 'ru');
    fireEvent.change(screen.getByRole('textbox', { name: 'Ваш позывной' }), { target: { value: 'UA3ABC' } });
    fireEvent.click(screen.getByRole('button', { name: 'Встать в очередь' }));
    expect(await screen.findByText('Очередь заполнена. Попробуйте через несколько минут.')).toBeTruthy();
  });
});

describe('the station on the public page', () => {
  it('shows the frequency, the split and the beam heading the operator shows', async () => {
    await open(busyLink(), 'en');
    const onAir = document.querySelector('.on-air');
    expect(onAir?.textContent).toContain('14.195 MHz SSB · listening up 5');
    expect(onAir?.textContent).toContain('Beam heading45°');
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Pileup Buster EA8/DL1ABC');
  });

  it('shows each waiting caller’s country', async () => {
    await open(busyLink(), 'en');
    expect(screen.getByRole('list', { name: 'Waiting stations' }).textContent).toContain('EA1ABCSpain');
  });
});

describe('recently worked and "am I in the log?"', () => {
  it('adds a completed QSO from its broadcast without asking the server again, without the time unless shown', async () => {
    const link = busyLink();
    link.answer('get_queue_status', () => success(status({ station: { callsign: null, locator: null, worked_times: false, recent_qsos: true } })));
    await open(link, 'en');
    act(() =>
      link.broadcast({
        type: 'qso_update',
        timestamp: NOW_ISO,
        data: { callsign: 'VK2DEF', started_at: NOW_ISO, source: 'queue', change_type: 'qso_completed', qso_id: 'q2', band: '40m', mode: 'CW', ended_at: NOW_ISO },
      }),
    );
    const recent = screen.getByRole('list', { name: 'Recently worked stations' });
    expect(recent.firstElementChild?.textContent).toBe('VK2DEF 40m CW');
    expect(link.sent('get_recent_qsos')).toHaveLength(1);
  });

  it('hides the list when the operator does', async () => {
    const link = busyLink();
    link.answer('get_recent_qsos', () => success({ shown: false, qsos: [] }));
    page = await renderTranslated(link, <PublicPage />, 'en');
    await waitFor(() => expect(link.sent('get_recent_qsos')).toHaveLength(1));
    expect(screen.queryByRole('region', { name: 'Recently worked' })).toBeNull();
  });

  it('answers "am I in the log?" with band, mode, count and, when allowed, the UTC time', async () => {
    const link = busyLink();
    await open(link, 'en');
    fireEvent.change(screen.getByRole('textbox', { name: 'Callsign' }), { target: { value: ' w1aw ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Search' }));
    expect(await screen.findByText('W1AW is in the log:')).toBeTruthy();
    expect(link.sent('search_log')).toEqual([{ type: 'search_log', callsign: 'W1AW' }]);
    expect(document.querySelector('.worked-slots')?.textContent).toBe('20m SSB · 2 QSOs · 2025-07-23 10:30 UTC');
  });

  it('says so when the call is not in the log', async () => {
    const link = busyLink();
    link.answer('search_log', (request) => success({ callsign: request.callsign, total_qsos: 0, worked: [] }));
    await open(link, 'en');
    fireEvent.change(screen.getByRole('textbox', { name: 'Callsign' }), { target: { value: 'G0ABC' } });
    fireEvent.click(screen.getByRole('button', { name: 'Search' }));
    expect(await screen.findByText('G0ABC is not in the log yet.')).toBeTruthy();
  });
});

describe('registering with a locator', () => {
  it('sends the locator in its usual spelling, and explains one that is not a locator', async () => {
    const link = busyLink();
    link.answer('register_callsign', (request) => success({ callsign: request.callsign, position: 1, total_queue: 1 }));
    await open(link, 'en');
    fireEvent.change(screen.getByRole('textbox', { name: 'Your callsign' }), { target: { value: 'W1AW' } });
    fireEvent.change(screen.getByRole('textbox', { name: 'Your locator (optional)' }), { target: { value: 'nowhere' } });
    fireEvent.click(screen.getByRole('button', { name: 'Join the queue' }));
    expect(await screen.findByText(/“nowhere” is not a locator/)).toBeTruthy();
    expect(link.sent('register_callsign')).toEqual([]);
    fireEvent.change(screen.getByRole('textbox', { name: 'Your locator (optional)' }), { target: { value: 'fn31PR' } });
    fireEvent.click(screen.getByRole('button', { name: 'Join the queue' }));
    await waitFor(() => expect(link.sent('register_callsign')).toEqual([{ type: 'register_callsign', callsign: 'W1AW', locator: 'FN31pr' }]));
  });
});
