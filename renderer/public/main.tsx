import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { memorySessionStore } from '../bridge/session-storage.js';
import { WebSocketBridge, wsUrlFor } from '../bridge/websocket-bridge.js';
import { mountPoint } from '../components/mount.js';
import { createPileupStore } from '../store/pileup-store.js';
import { PileupProvider } from '../store/react.js';
import { PublicPage } from './PublicPage.js';
import '../styles/base.css';
import '../styles/public.css';

// Callers never log in: the session store only exists because the bridge can.
const bridge = new WebSocketBridge({ url: wsUrlFor(window.location), sessions: memorySessionStore() });
const store = createPileupStore(bridge);
createRoot(mountPoint('root')).render(
  <StrictMode>
    <PileupProvider store={store}>
      <PublicPage />
    </PileupProvider>
  </StrictMode>,
);
