/**
 * The tray icon: its image and tooltip show whether the system is active, how many stations
 * wait and, when it is on, the public relay's state; its menu switches the system and works the next station without opening the window.
 * Commands go through the same request path as a WebSocket client's `admin_*` messages, so the
 * same rules apply and the same broadcasts go out.
 */
import path from 'node:path';
import { Menu, type MenuItemConstructorOptions, nativeImage, Tray } from 'electron';
import type { RunningServer } from '../server/app.js';
import type { Broadcast } from '../server/protocol/broadcasts.js';
import { type RelayStatus, relaySummary } from '../server/protocol/relay.js';
import type { RequestMessage } from '../server/protocol/requests.js';

/** What the tray shows, kept from the core's broadcasts rather than re-read from its state. */
interface TrayState {
  system_active: boolean;
  queue_size: number;
  relay: RelayStatus;
}

function follow(state: TrayState, message: Broadcast): TrayState {
  if (message.type === 'system_status_update') return { ...state, system_active: message.data.active };
  if (message.type === 'queue_update') return { ...state, queue_size: message.data.total };
  if (message.type === 'relay_update') return { ...state, relay: message.data };
  return state;
}

export interface TrayActions {
  show(): void;
  quit(): void;
}

type TrayServer = Pick<RunningServer, 'service' | 'localRequest' | 'relay'>;

function trayTooltip(status: TrayState): string {
  const { relay } = status;
  const relayed = relay.state === 'off' ? '' : `; relay ${relaySummary(relay)}`;
  if (!status.system_active) return `Pileup Buster: inactive${relayed}`;
  const waiting = status.queue_size === 1 ? '1 station waiting' : `${status.queue_size} stations waiting`;
  return `Pileup Buster: active, ${waiting}${relayed}`;
}

function trayMenuTemplate(
  status: TrayState,
  commands: { setActive(active: boolean): void; workNext(): void } & TrayActions,
): MenuItemConstructorOptions[] {
  return [
    // Linux panels seldom show tooltips: the state is repeated at the top of the menu.
    { label: trayTooltip({ ...status, relay: { ...status.relay, state: 'off' } }), enabled: false },
    ...(status.relay.state === 'off' ? [] : [{ label: `Public relay: ${relaySummary(status.relay)}`, enabled: false }]),
    { type: 'separator' },
    {
      label: 'System active',
      type: 'checkbox',
      checked: status.system_active,
      click: (item) => commands.setActive(item.checked),
    },
    { label: 'Work next', enabled: status.system_active && status.queue_size > 0, click: () => commands.workNext() },
    { type: 'separator' },
    { label: 'Show Pileup Buster', click: () => commands.show() },
    { label: 'Quit', click: () => commands.quit() },
  ];
}

export interface TrayHandle {
  tray: Tray;
  /** Stops following the service and removes the icon. */
  destroy(): void;
}

export function createTray(server: TrayServer, iconDir: string, actions: TrayActions): TrayHandle {
  const icon = (active: boolean) =>
    nativeImage.createFromPath(path.join(iconDir, active ? 'tray-active.png' : 'tray-inactive.png'));

  const run = (request: RequestMessage<'admin_toggle_system' | 'admin_work_next'>) => {
    server.localRequest(request).then(
      (reply) => {
        if (reply.type === 'error') console.warn(`Tray: ${request.type} refused: ${reply.message}`);
        // A refused or no-op command broadcasts nothing, yet a checkbox flips itself when clicked.
        refresh();
      },
      (error: unknown) => console.error(`Tray: ${request.type} failed:`, error),
    );
  };
  const commands = {
    ...actions,
    setActive: (active: boolean) => run({ type: 'admin_toggle_system', active }),
    workNext: () => run({ type: 'admin_work_next' }),
  };

  const { system_active, queue_size } = server.service.status();
  let state: TrayState = { system_active, queue_size, relay: server.relay.status() };
  const tray = new Tray(icon(state.system_active));
  // Linux keeps the menu it was given, so every change of state sets a freshly built one.
  function refresh(): void {
    // A command may finish after Quit removed the icon.
    if (tray.isDestroyed()) return;
    tray.setImage(icon(state.system_active));
    tray.setToolTip(trayTooltip(state));
    tray.setContextMenu(Menu.buildFromTemplate(trayMenuTemplate(state, commands)));
  }
  const onBroadcast = (message: Broadcast) => {
    const next = follow(state, message);
    if (next === state) return;
    state = next;
    refresh();
  };
  refresh();
  tray.on('click', () => actions.show());
  server.service.on('broadcast', onBroadcast);
  return {
    tray,
    destroy() {
      server.service.off('broadcast', onBroadcast);
      tray.destroy();
    },
  };
}
