/**
 * electron-vite builds the main process and the preload into out/ (it needs only the electron
 * package's version, never its binary). The console page is not built here: the renderer's own
 * `vite build` writes dist/renderer/.
 */
import { defineConfig } from 'electron-vite';

export default defineConfig({
  main: {
    build: {
      lib: { entry: 'electron/main.ts' },
      // ws, zod and nedb-promises stay in node_modules (electron-builder ships the dependencies).
      externalizeDeps: true,
    },
  },
  preload: {
    build: {
      lib: { entry: 'electron/preload.ts', formats: ['cjs'], fileName: () => 'index.cjs' },
      // A sandboxed preload can require only `electron` and a few built-ins: bundle everything else.
      externalizeDeps: false,
    },
  },
});
