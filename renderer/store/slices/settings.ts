/**
 * The operator's settings: capacity, credentials, the logger bridges (kept live by
 * `bridges_update`), the listen address and the abuse controls.
 */
import type { BridgeSettings, BridgesSnapshot } from '../../../server/protocol/bridges.js';
import type { Controls, RegistrationRules } from '../../../server/protocol/entities.js';
import type { ListenSettings, ListenSnapshot } from '../../../server/protocol/listen.js';
import type { RelaySettingsChanges, RelaySnapshot, RelayStatus } from '../../../server/protocol/relay.js';
import type { SliceContext } from './context.js';

export interface SettingsState {
  /** The logger bridges' settings and state; null until read (or when they could not be). */
  bridges: BridgesSnapshot | null;
  /** The public relay's state (operator pages only; null until read), kept by `relay_update`. */
  relay: RelayStatus | null;
}

export interface SettingsActions {
  setMaxQueueSize(size: number): Promise<boolean>;
  setCredentials(username: string, password: string): Promise<boolean>;
  /** Reads the bridges' settings and state into `bridges`; broadcasts keep them current after that. */
  loadBridges(): Promise<void>;
  setBridges(changes: Partial<BridgeSettings>): Promise<boolean>;
  /** The stored listen address and the one in use, or null when they could not be read. */
  loadListen(): Promise<ListenSnapshot | null>;
  /** Stores the listen address for the next start (a notice says so); the snapshot, or null when refused. */
  setListen(settings: ListenSettings): Promise<ListenSnapshot | null>;
  /** The public relay's settings (no secrets) and state, or null when they could not be read. */
  loadRelay(): Promise<RelaySnapshot | null>;
  /** Stores relay settings (the link starts again with them); the snapshot, or null when refused. */
  setRelay(changes: RelaySettingsChanges): Promise<RelaySnapshot | null>;
  /** Pause, rules and the ban list, or null when they could not be read. */
  loadControls(): Promise<Controls | null>;
  setRegistrationPaused(paused: boolean): Promise<boolean>;
  /**
   * Bans every form of the call (or only this form); a notice offers to undo it for a minute,
   * which gives the callers the ban took out of the queue their places back.
   */
  banCallsign(callsign: string, reason?: string, onlyThisForm?: boolean): Promise<boolean>;
  unbanCallsign(callsign: string, undo?: boolean): Promise<boolean>;
  setRegistrationRules(rules: Partial<RegistrationRules>): Promise<boolean>;
}

/** As long as the server keeps what a ban took (server/core/ban-undo.ts). */
export const BAN_UNDO_MS = 60_000;

export function settingsActions({ link, requests, notify, set }: SliceContext): SettingsActions {
  const done = async (pending: Promise<unknown>) => (await pending) !== null;
  const unban = (callsign: string, undo = false) =>
    done(
      requests.command(`ban:${callsign}`, { type: 'admin_unban_callsign', callsign, ...(undo && { undo: true }) }, (data) =>
        undo
          ? `Ban of ${callsign} undone${data.restored_to_queue.length > 0 ? `; back in the queue: ${data.restored_to_queue.join(', ')}` : ''}.`
          : `${callsign} may register again.`,
      ),
    );
  return {
    setMaxQueueSize: (size) =>
      done(requests.command('max', { type: 'admin_set_max_queue_size', max_queue_size: size }, () => `Queue size set to ${size}.`)),

    async setCredentials(username, password) {
      const changed = await done(
        requests.command('credentials', { type: 'admin_set_credentials', username, password }, () =>
          link.session === undefined
            ? 'Credentials changed. Browsers and logging software must log in again.'
            : 'Credentials changed. Every session has ended: log in with the new ones.',
        ),
      );
      // The server has revoked our own token too; forget it rather than wait for a refusal.
      if (changed) await link.session?.logout();
      return changed;
    },

    async loadBridges() {
      set({ bridges: await requests.call({ type: 'admin_get_bridges' }).catch(() => null) });
    },

    async setBridges(changes) {
      const saved = await requests.command('bridges', { type: 'admin_set_bridges', ...changes });
      if (saved !== null) set({ bridges: saved });
      return saved !== null;
    },

    loadListen: () => requests.call({ type: 'admin_get_listen' }).catch(() => null),

    setListen: ({ host, port }) => requests.command('listen', { type: 'admin_set_listen', host, port }, () => 'Saved: applies after restart.'),

    async loadRelay() {
      const snapshot = await requests.call({ type: 'admin_get_relay' }).catch(() => null);
      if (snapshot !== null) set({ relay: snapshot.status });
      return snapshot;
    },

    async setRelay(changes) {
      const saved = await requests.command('relay', { type: 'admin_set_relay', ...changes }, () => 'Relay settings saved.');
      if (saved !== null) set({ relay: saved.status });
      return saved;
    },

    loadControls: () => requests.call({ type: 'admin_get_controls' }).catch(() => null),

    setRegistrationPaused: (paused) =>
      done(requests.command('pause', { type: paused ? 'admin_pause_registration' : 'admin_resume_registration' })),

    async banCallsign(callsign, reason, onlyThisForm = false) {
      const banned = await requests.command(`ban:${callsign}`, {
        type: 'admin_ban_callsign',
        callsign,
        ...(reason !== undefined && reason.trim() !== '' && { reason: reason.trim() }),
        ...(onlyThisForm && { only_this_form: true }),
      });
      if (banned === null) return false;
      const forms = banned.only_this_form ? '' : ' (every form of the call)';
      const removed = banned.removed_callsigns.length > 0 ? `; taken out of the queue: ${banned.removed_callsigns.join(', ')}` : '';
      notify('info', `${banned.callsign} is banned${forms}${removed}.`, {
        label: 'Undo',
        run: () => void unban(banned.callsign, true),
        forMs: BAN_UNDO_MS,
      });
      return true;
    },

    unbanCallsign: (callsign, undo) => unban(callsign, undo),

    setRegistrationRules: (rules) =>
      done(requests.command('rules', { type: 'admin_set_registration_rules', ...rules }, () => 'Registration rules saved.')),
  };
}
