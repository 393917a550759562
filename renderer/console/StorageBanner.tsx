import { usePileup } from '../store/react.js';

/**
 * Red while the server cannot write its data files (a full disk, an I/O error): nothing the
 * console or anyone else asks for is saved, so every change is refused. It clears by itself
 * once a write succeeds again.
 */
export function StorageBanner() {
  const storage = usePileup((state) => state.storage);
  if (storage === null || storage.writable) return null;
  return (
    <div className="storage-banner" role="alert" aria-label="Data files">
      <strong>Changes cannot be saved.</strong> {storage.message ?? 'The data files cannot be written.'}{' '}
      Every change is refused until this is fixed (free some disk space); this banner goes away by itself.
    </div>
  );
}
