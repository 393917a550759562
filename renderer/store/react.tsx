/**
 * Binds the store to React: components read it through selectors and change it only through
 * its actions; none of them sees the link.
 */
import { createContext, type ReactNode, useContext } from 'react';
import { useStore } from 'zustand';
import type { PileupActions, PileupState, PileupStore } from './pileup-store.js';

const StoreContext = createContext<PileupStore | null>(null);

export function PileupProvider({ store, children }: { store: PileupStore; children: ReactNode }) {
  return <StoreContext.Provider value={store}>{children}</StoreContext.Provider>;
}

export function usePileup<T>(selector: (state: PileupState) => T): T {
  const store = useContext(StoreContext);
  if (store === null) throw new Error('usePileup needs a <PileupProvider> above it');
  return useStore(store, selector);
}

export function useActions(): PileupActions {
  return usePileup((state) => state.actions);
}
