/**
 * Builds the three pages into dist/renderer: the public page (index.html, served at `/`), the
 * operator console (admin.html, `/admin`, also loaded by the Electron window from file://) and
 * the embeddable status page (status.html, `/status`). `base: './'` keeps every asset URL
 * relative, which is what lets the same build work over http:// and file:// — and from any
 * folder of any static host (public-site.config.ts builds two of the pages that way).
 */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type PluginOption, type UserConfig } from 'vite';

export const here = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));

export const PAGES = { index: 'index.html', admin: 'admin.html', status: 'status.html' } as const;

export function rendererConfig(options: { pages: (keyof typeof PAGES)[]; outDir: string; plugins?: PluginOption[] }): UserConfig {
  return {
    root: here('.'),
    base: './',
    // renderer/public/ is the public page's source, not Vite's folder of files to copy verbatim.
    publicDir: false,
    plugins: [react(), ...(options.plugins ?? [])],
    build: {
      outDir: options.outDir,
      emptyOutDir: true,
      // Everything lands in assets/ under a content hash, so the gateway can cache it forever.
      assetsDir: 'assets',
      // An inlined asset would be a data: URL our CSP does not allow for scripts and styles.
      assetsInlineLimit: 0,
      rolldownOptions: {
        input: Object.fromEntries(options.pages.map((page) => [page, here(PAGES[page])])),
        // Shared chunks would otherwise be named after whichever module came first; chunks loaded
        // on demand (the map, the QR code, the NATS client) keep their module's name, so the build
        // report shows them.
        output: { chunkFileNames: (chunk) => (chunk.isDynamicEntry ? 'assets/lazy-[name]-[hash].js' : 'assets/shared-[hash].js') },
      },
    },
  };
}

export default defineConfig(rendererConfig({ pages: ['index', 'admin', 'status'], outDir: here('../dist/renderer') }));
