import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { memorySessionStore } from '../transport/session-storage.js';
import { WebSocketLink, wsUrlFor } from '../transport/websocket-link.js';
import { mountPoint } from '../components/mount.js';
import { createI18n, initialLanguage } from '../i18n/i18n.js';
import { createPileupStore } from '../store/pileup-store.js';
import { PileupProvider } from '../store/react.js';
import { PublicPage } from './PublicPage.js';
import '../styles/base.css';
import '../styles/public.css';

// Callers never log in: the session store only exists because the link can.
const link = new WebSocketLink({ url: wsUrlFor(window.location), sessions: memorySessionStore() });
const store = createPileupStore(link);
const i18n = await createI18n(initialLanguage());
createRoot(mountPoint('root')).render(
  <StrictMode>
    <I18nextProvider i18n={i18n}>
      <PileupProvider store={store}>
        <PublicPage />
      </PileupProvider>
    </I18nextProvider>
  </StrictMode>,
);
