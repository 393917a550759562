/** Working the pileup: the system switch, the queue, the current QSO, frequency and split. */
import type { SliceContext } from './context.js';

export interface OperatingActions {
  toggleSystem(active?: boolean): Promise<boolean>;
  workNext(): Promise<boolean>;
  completeQso(): Promise<boolean>;
  cancelQso(): Promise<boolean>;
  workSpecific(callsign: string): Promise<boolean>;
  removeCallsign(callsign: string): Promise<boolean>;
  clearQueue(): Promise<boolean>;
  setFrequency(frequency: string, mode: string): Promise<boolean>;
  clearFrequency(): Promise<boolean>;
  setSplit(split: string): Promise<boolean>;
  clearSplit(): Promise<boolean>;
}

export function operatingActions({ requests }: SliceContext): OperatingActions {
  const done = async (pending: Promise<unknown>) => (await pending) !== null;
  return {
    toggleSystem: (active) => done(requests.command('toggle', { type: 'admin_toggle_system', ...(active !== undefined && { active }) })),
    workNext: () => done(requests.command('work', { type: 'admin_work_next' })),
    completeQso: () => done(requests.command('complete', { type: 'admin_complete_qso' })),
    cancelQso: () => done(requests.command('cancel', { type: 'admin_cancel_qso' })),
    workSpecific: (callsign) => done(requests.command('work', { type: 'admin_work_specific', callsign })),
    removeCallsign: (callsign) => done(requests.command(`remove:${callsign}`, { type: 'admin_remove_callsign', callsign })),
    clearQueue: () =>
      done(requests.command('clear', { type: 'admin_clear_queue' }, (data) => `Queue cleared (${data.cleared_count} removed).`)),
    setFrequency: (frequency, mode) =>
      done(
        requests.command('frequency', {
          type: 'admin_set_frequency',
          frequency: frequency.trim(),
          ...(mode.trim() !== '' && { mode: mode.trim() }),
        }),
      ),
    clearFrequency: () => done(requests.command('frequency', { type: 'admin_clear_frequency' })),
    setSplit: (split) => done(requests.command('split', { type: 'admin_set_split', split: split.trim() })),
    clearSplit: () => done(requests.command('split', { type: 'admin_clear_split' })),
  };
}
