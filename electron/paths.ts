/**
 * Where the shell's files are. `appPath` is the folder holding package.json (the project root
 * in development, `app.asar` when packaged); the tray icons are shipped beside the archive as
 * extra resources because electron-builder does not pack build/.
 */
import path from 'node:path';

export interface ShellPaths {
  /** The sandboxed preload, bundled to one CommonJS file by electron-vite. */
  preload: string;
  /** The operator console page built by the renderer's `vite build`. */
  page: string;
  trayIcons: string;
}

export function shellPaths(appPath: string, resourcesPath: string, packaged: boolean): ShellPaths {
  return {
    preload: path.join(appPath, 'out', 'preload', 'preload.cjs'),
    page: path.join(appPath, 'dist', 'renderer', 'admin.html'),
    trayIcons: packaged ? path.join(resourcesPath, 'tray') : path.join(appPath, 'build', 'tray'),
  };
}
