// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { SHORTCUTS, shortcutFor, type KeyInput } from './shortcuts.js';

const press = (key: string, overrides: Partial<KeyInput> = {}): KeyInput => ({
  key,
  repeat: false,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  target: document.body,
  ...overrides,
});

describe('shortcutFor', () => {
  it('maps every listed key, in either case', () => {
    for (const shortcut of SHORTCUTS) {
      expect(shortcutFor(press(shortcut.key))).toBe(shortcut.action);
      expect(shortcutFor(press(shortcut.key.toLowerCase()))).toBe(shortcut.action);
    }
  });

  it('leaves keys typed into a field alone', () => {
    expect(shortcutFor(press('n', { target: document.createElement('input') }))).toBeNull();
    expect(shortcutFor(press('n', { target: document.createElement('textarea') }))).toBeNull();
  });

  it('does not repeat a held key: one keystroke works one station', () => {
    expect(shortcutFor(press('n', { repeat: true }))).toBeNull();
  });

  it('leaves browser shortcuts with modifiers alone', () => {
    expect(shortcutFor(press('n', { ctrlKey: true }))).toBeNull();
    expect(shortcutFor(press('c', { metaKey: true }))).toBeNull();
  });
});
