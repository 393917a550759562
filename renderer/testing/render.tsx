/** Renders a page over a FakeLink-backed store, the way the entry points wire it. */
import { render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { I18nextProvider } from 'react-i18next';
import { createI18n, type LanguageCode } from '../i18n/i18n.js';
import { createPileupStore, type PileupStore } from '../store/pileup-store.js';
import { PileupProvider } from '../store/react.js';
import type { FakeLink } from './fake-link.js';

export function renderWithStore(link: FakeLink, page: ReactNode): PileupStore & { unmount(): void } {
  const store = createPileupStore(link);
  const { unmount } = render(<PileupProvider store={store}>{page}</PileupProvider>);
  return Object.assign(store, {
    unmount() {
      unmount();
      store.dispose();
    },
  });
}

/** The public page's way: with its catalogues, in `language` ('cimode' shows the keys themselves). */
export async function renderTranslated(link: FakeLink, page: ReactNode, language: LanguageCode | 'cimode' = 'en') {
  const i18n = await createI18n(language);
  const store = createPileupStore(link);
  const { unmount } = render(
    <I18nextProvider i18n={i18n}>
      <PileupProvider store={store}>{page}</PileupProvider>
    </I18nextProvider>,
  );
  return Object.assign(store, {
    i18n,
    unmount() {
      unmount();
      store.dispose();
    },
  });
}

/**
 * Every button and form field has a name a screen reader can announce: its text, a label, or
 * aria-label(ledby). A control without one is unusable for the people who need it.
 */
export function unnamedControls(root: HTMLElement): string[] {
  const controls = [...root.querySelectorAll<HTMLElement>('button, input, select, textarea, [role="switch"], [role="tab"]')];
  return controls
    .filter((control) => {
      if (control.getAttribute('aria-label')?.trim() || control.getAttribute('aria-labelledby')) return false;
      if (control instanceof HTMLInputElement || control instanceof HTMLSelectElement || control instanceof HTMLTextAreaElement) {
        return (control.labels?.length ?? 0) === 0;
      }
      return (control.textContent ?? '').trim() === '';
    })
    .map((control) => control.outerHTML);
}
