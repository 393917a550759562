import { usePileup } from '../store/react.js';

/** The big on/off switch: while it is off, callers cannot register. */
export function SystemSwitch({ onToggle }: { onToggle: () => void }) {
  const active = usePileup((state) => state.pileup.system_active);
  return (
    <button
      type="button"
      role="switch"
      aria-checked={active}
      aria-keyshortcuts="A"
      className={`system-switch ${active ? 'is-on' : 'is-off'}`}
      onClick={onToggle}
    >
      <span className="switch-track" aria-hidden="true">
        <span className="switch-thumb" />
      </span>
      <span className="switch-text">
        System
        <strong aria-hidden="true">{active ? 'Active' : 'Inactive'}</strong>
      </span>
    </button>
  );
}
