import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** One layering rule as lint: files in `files` may not import what `group` matches. */
function layer(files, group, message, ignores = []) {
  return { files, ignores, rules: { 'no-restricted-imports': ['error', { patterns: [{ group, message }] }] } };
}

export default tseslint.config(
  { ignores: ['dist/', 'out/', 'node_modules/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: false } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  // The layers of ARCHITECTURE.md (README, "Architecture"): a failing lint shows the shape.
  layer(
    ['server/**/*.ts'],
    ['electron', '**/electron/**', '**/renderer/**'],
    'server/ runs without Electron and knows nothing of the renderer: the shell and the pages are adapters on it.',
  ),
  layer(
    ['server/core/**/*.ts'],
    [
      '**/gateway/**',
      '**/bridges/**',
      '**/relay/**',
      '**/store/**',
      '**/auth/**',
      '**/net/**',
      '**/config/given*',
      '**/config/listen*',
      'ws',
      'nedb-promises',
      'node:http',
      'node:net',
      'node:dgram',
      'node:fs',
      'node:fs/promises',
    ],
    'The core knows nothing of transports, bridges or storage: they call it, and it reaches storage through server/core/storage.ts.',
  ),
  layer(
    ['server/protocol/**/*.ts'],
    ['../**', 'node:*'],
    'server/protocol is the shared wire contract: it imports only zod and itself, so the renderer and the preload can use it.',
  ),
  layer(
    ['server/ham/**/*.ts'],
    ['**/core/**', '**/store/**', '**/gateway/**', '**/bridges/**', '**/relay/**', '**/auth/**', '**/config/**', 'node:fs', 'node:fs/promises', 'node:net', 'node:dgram', 'node:http'],
    'server/ham is ham-radio knowledge without I/O: it imports only server/protocol and libraries.',
  ),
  layer(
    ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    ['electron', 'node:*', '**/server/*/**', '!**/server/protocol/**', '!**/server/ham/**', '**/electron/**'],
    'The renderer talks to the server only through server/protocol and its ServerLink (renderer/transport); it may use server/ham, ham knowledge without I/O.',
    ['renderer/vite.config.ts', 'renderer/public-site.config.ts', 'renderer/testing/**', 'renderer/**/*.test.ts', 'renderer/**/*.test.tsx'],
  ),
);
