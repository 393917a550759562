/**
 * Builds the three pages into dist/renderer: the public page (index.html, served at `/`), the
 * operator console (admin.html, `/admin`, also loaded by the Electron window from file://) and
 * the embeddable status page (status.html, `/status`). `base: './'` keeps every asset URL
 * relative, which is what lets the same build work over http:// and file://.
 */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));

export default defineConfig({
  root: here('.'),
  base: './',
  // The public page's sources live in renderer/public/, which is Vite's default folder of files
  // copied verbatim into the build: without this, its .tsx sources (and test) would be served
  // and packaged.
  publicDir: false,
  plugins: [react()],
  build: {
    outDir: here('../dist/renderer'),
    emptyOutDir: true,
    // Everything lands in assets/ under a content hash, so the gateway can cache it forever.
    assetsDir: 'assets',
    // An inlined asset would be a data: URL our CSP does not allow for scripts and styles.
    assetsInlineLimit: 0,
    rolldownOptions: {
      input: {
        index: here('index.html'),
        admin: here('admin.html'),
        status: here('status.html'),
      },
      // Shared chunks would otherwise be named after whichever module came first; chunks loaded
      // on demand (the map, the QR code) keep their module's name, so the build report shows them.
      output: { chunkFileNames: (chunk) => (chunk.isDynamicEntry ? 'assets/lazy-[name]-[hash].js' : 'assets/shared-[hash].js') },
    },
  },
});
