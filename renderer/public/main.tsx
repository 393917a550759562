import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { publicLink } from '../transport/public-link.js';
import { mountPoint } from '../components/mount.js';
import { createPileupStore } from '../store/pileup-store.js';
import { PileupProvider } from '../store/react.js';
import { PublicPage } from './PublicPage.js';
import '../styles/base.css';
import '../styles/public.css';

async function main(): Promise<void> {
  const root = mountPoint('root');
  try {
    const store = createPileupStore(await publicLink());
    createRoot(root).render(
      <StrictMode>
        <PileupProvider store={store}>
          <PublicPage />
        </PileupProvider>
      </StrictMode>,
    );
  } catch (error) {
    root.textContent = error instanceof Error ? error.message : String(error);
  }
}

void main();
