/**
 * A stand-in for the `electron` module, for `vi.mock('electron', factory)`: the real package
 * would try to download its binary. It keeps only what the shell uses, records what was done,
 * and lets a test emit the events Electron would (app lifecycle, IPC invokes, menu clicks).
 */
import { EventEmitter } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import { vi } from 'vitest';

export interface FakeEvent {
  defaultPrevented: boolean;
  preventDefault(): void;
}

export function fakeEvent(): FakeEvent {
  return {
    defaultPrevented: false,
    preventDefault() {
      this.defaultPrevented = true;
    },
  };
}

/** A frame as IPC reports it in `event.senderFrame`. */
export interface FakeFrame {
  url: string;
  parent: FakeFrame | null;
}

export interface FakeMenuItem {
  label?: string;
  type?: string;
  checked?: boolean;
  enabled?: boolean;
  click?: (item: { checked: boolean }) => void;
}

type IpcHandler = (event: { senderFrame: FakeFrame | null }, ...args: unknown[]) => unknown;

export class FakeWebContents extends EventEmitter {
  readonly send = vi.fn<(channel: string, ...args: unknown[]) => void>();
  windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined;

  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
}

export function createFakeElectron() {
  const paths = new Map<string, string>([['appData', path.join(os.tmpdir(), 'pileup-fake-appdata')]]);
  const windows: FakeBrowserWindow[] = [];
  const trays: FakeTray[] = [];
  const ipcHandlers = new Map<string, IpcHandler>();

  class FakeApp extends EventEmitter {
    isPackaged = false;
    quitted = false;
    readonly requestSingleInstanceLock = vi.fn(() => true);
    readonly exit = vi.fn<(code?: number) => void>();
    readonly setPath = vi.fn((name: string, value: string) => {
      paths.set(name, value);
    });

    getPath(name: string): string {
      const value = paths.get(name);
      if (value === undefined) throw new Error(`fake electron: no path ${name}`);
      return value;
    }

    getAppPath(): string {
      return process.cwd();
    }

    getVersion(): string {
      return '0.0.0-test';
    }

    whenReady(): Promise<void> {
      return Promise.resolve();
    }

    /** Electron's order: before-quit, close every window, will-quit, then quit unless prevented. */
    readonly quit = vi.fn(() => {
      const beforeQuit = fakeEvent();
      this.emit('before-quit', beforeQuit);
      if (beforeQuit.defaultPrevented) return;
      for (const window of windows) if (!window.isDestroyed()) window.close();
      if (windows.some((window) => !window.isDestroyed())) return;
      const willQuit = fakeEvent();
      this.emit('will-quit', willQuit);
      if (willQuit.defaultPrevented) return;
      this.quitted = true;
      this.emit('quit');
    });
  }
  const app = new FakeApp();

  class FakeBrowserWindow extends EventEmitter {
    readonly webContents = new FakeWebContents();
    readonly loadFile = vi.fn((_file: string) => Promise.resolve());
    readonly show = vi.fn(() => {
      this.visible = true;
    });
    readonly hide = vi.fn(() => {
      this.visible = false;
    });
    readonly focus = vi.fn();
    readonly restore = vi.fn();
    visible = false;
    private destroyed = false;

    constructor(readonly options: Record<string, unknown>) {
      super();
      windows.push(this);
      app.emit('web-contents-created', fakeEvent(), this.webContents);
    }

    isMinimized(): boolean {
      return false;
    }

    isDestroyed(): boolean {
      return this.destroyed;
    }

    getNormalBounds() {
      return { x: 10, y: 20, width: 1000, height: 700 };
    }

    /** Like the title bar's close button: listeners may prevent it. */
    close(): void {
      const event = fakeEvent();
      this.emit('close', event);
      if (event.defaultPrevented) return;
      this.destroyed = true;
      this.visible = false;
      this.emit('closed');
    }
  }

  class FakeTray extends EventEmitter {
    image: { path: string };
    tooltip = '';
    menu: FakeMenuItem[] = [];
    readonly setContextMenu = vi.fn((menu: { items: FakeMenuItem[] }) => {
      this.menu = menu.items;
    });
    destroyed = false;

    constructor(image: { path: string }) {
      super();
      this.image = image;
      trays.push(this);
    }

    setImage(image: { path: string }): void {
      this.image = image;
    }

    setToolTip(tooltip: string): void {
      this.tooltip = tooltip;
    }

    destroy(): void {
      this.destroyed = true;
    }

    isDestroyed(): boolean {
      return this.destroyed;
    }

    /** Clicks the menu item with this label, as Electron does: a checkbox flips first. */
    clickItem(label: string): void {
      const item = this.menu.find((candidate) => candidate.label === label);
      if (!item?.click) throw new Error(`fake tray: no clickable item ${label}`);
      if (item.type === 'checkbox') item.checked = !item.checked;
      item.click({ checked: item.checked ?? false });
    }
  }

  const headersReceived: ((
    details: { responseHeaders?: Record<string, string[]> },
    callback: (response: { responseHeaders?: Record<string, string[]> }) => void,
  ) => void)[] = [];
  const session = {
    defaultSession: {
      setPermissionRequestHandler: vi.fn(),
      setPermissionCheckHandler: vi.fn(),
      webRequest: {
        onHeadersReceived: vi.fn((listener: (typeof headersReceived)[number]) => {
          headersReceived.push(listener);
        }),
      },
    },
  };

  const ipcMain = {
    handle: vi.fn((channel: string, handler: IpcHandler) => {
      if (ipcHandlers.has(channel)) throw new Error(`fake electron: second handler for ${channel}`);
      ipcHandlers.set(channel, handler);
    }),
    removeHandler: vi.fn((channel: string) => {
      ipcHandlers.delete(channel);
    }),
    /** What `ipcRenderer.invoke` from `frame` would get. */
    async invoke(channel: string, frame: FakeFrame | null, ...args: unknown[]): Promise<unknown> {
      const handler = ipcHandlers.get(channel);
      if (!handler) throw new Error(`fake electron: no handler for ${channel}`);
      return handler({ senderFrame: frame }, ...args);
    },
  };

  const ipcRenderer = Object.assign(new EventEmitter(), {
    invoke: vi.fn((_channel: string, ..._args: unknown[]) => Promise.resolve<unknown>({ invoked: true })),
  });

  return {
    app,
    BrowserWindow: FakeBrowserWindow,
    Tray: FakeTray,
    Menu: { buildFromTemplate: (items: FakeMenuItem[]) => ({ items }) },
    nativeImage: { createFromPath: (file: string) => ({ path: file }) },
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
    session,
    ipcMain,
    ipcRenderer,
    contextBridge: { exposeInMainWorld: vi.fn<(key: string, api: unknown) => void>() },
    dialog: {
      showMessageBox: vi.fn((_options: { message: string; detail?: string; buttons?: string[] }) =>
        Promise.resolve({ response: 0, checkboxChecked: false }),
      ),
      showErrorBox: vi.fn<(title: string, content: string) => void>(),
    },
    clipboard: { writeText: vi.fn<(text: string) => void>() },
    /** Test helpers, not part of Electron. */
    fake: { windows, trays, headersReceived },
  };
}

export type FakeElectron = ReturnType<typeof createFakeElectron>;
export type FakeBrowserWindow = InstanceType<FakeElectron['BrowserWindow']>;
export type FakeTray = InstanceType<FakeElectron['Tray']>;
