import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { mountPoint } from '../components/mount.js';
import { createI18n, initialLanguage } from '../i18n/i18n.js';
import { createPileupStore } from '../store/pileup-store.js';
import { PileupProvider } from '../store/react.js';
import { publicLink } from '../transport/public-link.js';
import { PublicPage } from './PublicPage.js';
import '../styles/base.css';
import '../styles/public.css';

async function main(): Promise<void> {
  const root = mountPoint('root');
  try {
    const [link, i18n] = await Promise.all([publicLink(), createI18n(initialLanguage())]);
    const store = createPileupStore(link);
    createRoot(root).render(
      <StrictMode>
        <I18nextProvider i18n={i18n}>
          <PileupProvider store={store}>
            <PublicPage />
          </PileupProvider>
        </I18nextProvider>
      </StrictMode>,
    );
  } catch (error) {
    root.textContent = error instanceof Error ? error.message : String(error);
  }
}

void main();
