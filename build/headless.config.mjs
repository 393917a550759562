/**
 * The headless server as one file. Node spends most of a cold start otherwise finding, reading
 * and compiling about 230 modules one by one (our own, zod's, the country files'): bundled, the
 * same server with a 100,000-QSO log listens about 0.4 s sooner. tsc has checked and compiled
 * the sources into dist/server/ before; this bundles that output, dependencies included, beside
 * it — so the bundle finds package.json and dist/renderer/ as the modules do.
 */
import { defineConfig } from 'rolldown';

export default defineConfig({
  input: 'dist/server/cli.js',
  platform: 'node',
  logLevel: 'warn',
  output: { file: 'dist/server/headless.js', format: 'esm' },
});
