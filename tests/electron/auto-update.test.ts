import { describe, expect, it, vi } from 'vitest';
import { autoUpdateDecision, startAutoUpdate, type Updater } from '../../electron/auto-update.js';

function fakeUpdater(check: () => Promise<unknown> = () => Promise.resolve(null)) {
  const listeners: ((error: Error) => void)[] = [];
  const updater = {
    on: vi.fn((_event: 'error', listener: (error: Error) => void) => listeners.push(listener)),
    checkForUpdatesAndNotify: vi.fn(check),
    emitError: (error: Error) => {
      for (const listener of listeners) listener(error);
    },
  };
  return updater satisfies Updater;
}

describe('the auto-update decision', () => {
  it('is off by default', () => {
    expect(autoUpdateDecision({}, true)).toEqual({ enabled: false, warning: null });
    expect(autoUpdateDecision({ PILEUP_AUTO_UPDATE: '' }, true)).toEqual({ enabled: false, warning: null });
    expect(autoUpdateDecision({ PILEUP_AUTO_UPDATE: '0' }, true)).toEqual({ enabled: false, warning: null });
  });

  it('is on with PILEUP_AUTO_UPDATE=1 in an installed app', () => {
    expect(autoUpdateDecision({ PILEUP_AUTO_UPDATE: '1' }, true)).toEqual({ enabled: true });
  });

  it('stays off, saying why, outside an installed app or for a value that is not 0 or 1', () => {
    expect(autoUpdateDecision({ PILEUP_AUTO_UPDATE: '1' }, false)).toEqual({
      enabled: false,
      warning: 'PILEUP_AUTO_UPDATE=1 is ignored: this is not an installed (packaged) app.',
    });
    expect(autoUpdateDecision({ PILEUP_AUTO_UPDATE: 'yes' }, true)).toEqual({
      enabled: false,
      warning: 'PILEUP_AUTO_UPDATE=yes is neither 1 (on) nor 0 (off): updates stay off.',
    });
  });
});

describe('starting the updater', () => {
  it('never loads electron-updater when off', async () => {
    const load = vi.fn(() => Promise.resolve(fakeUpdater()));
    expect(await startAutoUpdate({}, true, () => undefined, load)).toBe(false);
    expect(load).not.toHaveBeenCalled();
  });

  it('checks, downloads and notifies when on', async () => {
    const updater = fakeUpdater();
    expect(await startAutoUpdate({ PILEUP_AUTO_UPDATE: '1' }, true, () => undefined, () => Promise.resolve(updater))).toBe(true);
    expect(updater.checkForUpdatesAndNotify).toHaveBeenCalledTimes(1);
  });

  it('reports a failed check or download once, as a line, without throwing', async () => {
    const lines: string[] = [];
    const updater = fakeUpdater(() => {
      // electron-updater emits the error, then rejects with it.
      updater.emitError(new Error('net::ERR_NAME_NOT_RESOLVED'));
      return Promise.reject(new Error('net::ERR_NAME_NOT_RESOLVED'));
    });
    await startAutoUpdate({ PILEUP_AUTO_UPDATE: '1' }, true, (line) => lines.push(line), () => Promise.resolve(updater));
    expect(lines).toEqual(['Update failed: net::ERR_NAME_NOT_RESOLVED']);
  });
});
