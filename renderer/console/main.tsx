import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { browserSessionStore } from '../transport/session-storage.js';
import { chooseLink } from '../transport/choose-link.js';
import { mountPoint } from '../components/mount.js';
import { createPileupStore } from '../store/pileup-store.js';
import { PileupProvider } from '../store/react.js';
import { Console } from './Console.js';
import '../styles/base.css';
import '../styles/console.css';

const CLIENTS_POLL_MS = 5000;

const root = createRoot(mountPoint('root'));
const link = chooseLink(browserSessionStore());
if (link === null) {
  root.render(
    <p className="fatal" role="alert">
      This console runs inside the Pileup Buster app, or in a browser at the server&apos;s /admin address.
    </p>,
  );
} else {
  const store = createPileupStore(link, { clientsPollMs: CLIENTS_POLL_MS });
  root.render(
    <StrictMode>
      <PileupProvider store={store}>
        <Console />
      </PileupProvider>
    </StrictMode>,
  );
}
