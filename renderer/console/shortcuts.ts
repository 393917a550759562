/**
 * The console's keyboard shortcuts, in one table: the key handler and the help overlay both read
 * it, so the help can never list a key that does nothing.
 */
export type ShortcutAction = 'workNext' | 'complete' | 'cancel' | 'noShow' | 'toggle' | 'frequency' | 'help';

export interface Shortcut {
  /** As `KeyboardEvent.key` reports it, case-insensitively. */
  key: string;
  action: ShortcutAction;
  description: string;
}

export const SHORTCUTS: readonly Shortcut[] = [
  { key: 'N', action: 'workNext', description: 'Work the next station (completes the current QSO first)' },
  { key: 'C', action: 'complete', description: 'Complete the current QSO (logs it)' },
  { key: 'X', action: 'cancel', description: 'Cancel the current QSO (not logged)' },
  { key: 'S', action: 'noShow', description: 'No-show: the station did not answer (back in the queue, out after the last strike)' },
  { key: 'A', action: 'toggle', description: 'Switch the system active / inactive' },
  { key: 'F', action: 'frequency', description: 'Go to the frequency entry, its text selected (type MHz or kHz)' },
  { key: '?', action: 'help', description: 'Show or hide this list' },
];

export interface KeyInput {
  key: string;
  repeat: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  target: EventTarget | null;
}

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/**
 * The action for a key press, or null. Keys typed into a field stay there, and a held key does
 * not repeat: one keystroke works exactly one station.
 */
export function shortcutFor(event: KeyInput): ShortcutAction | null {
  if (event.repeat || event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return null;
  const key = event.key.toUpperCase();
  return SHORTCUTS.find((shortcut) => shortcut.key === key)?.action ?? null;
}
