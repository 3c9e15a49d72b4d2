// Lint, and the rules of the house (ARCHITECTURE.md) as import boundaries: a wrong import fails lint.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

/** Patterns that match a relative or aliased import of one of our top-level wings. */
const wing = (name) => [`**/${name}`, `**/${name}/**`];

const boundary = (message, { paths = [], patterns = [], allowTypeImports = false } = {}) => [
  'error',
  {
    paths: paths.map((name) => ({ name, message, allowTypeImports })),
    patterns: [{ group: patterns, message, allowTypeImports }],
  },
];

export default tseslint.config(
  {
    ignores: ['node_modules/**', 'out/**', 'dist/**', 'release/**', 'coverage/**', 'tests/.artifacts/**', '**/*.d.ts'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-control-regex': 'off',
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
    },
  },

  // ---- Rules of the house -------------------------------------------------------------------------
  {
    // engine/ and native/ know nothing of Electron, SQLite, React or the marketplace.
    files: ['engine/**/*.{ts,tsx}', 'native/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': boundary(
        'engine/ and native/ are pure Node: no Electron, database, React, marketplace or studio code (ARCHITECTURE.md).',
        {
          paths: ['electron', 'better-sqlite3', 'kysely', 'react', 'react-dom', 'zustand'],
          patterns: ['electron/*', 'react-dom/*', ...wing('electron'), ...wing('renderer'), ...wing('marketplace'), ...wing('preload')],
        },
      ),
    },
  },
  {
    // renderer/ sees only the contract (and its wire format) and talks through platform/.
    files: ['renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': boundary(
        'renderer/ never imports node:*, electron, engine/ or electron/; it uses preload/contract types through platform/ (ARCHITECTURE.md).',
        {
          paths: ['electron', 'better-sqlite3', 'sharp', 'ws', ...nodeBuiltins],
          patterns: [
            'electron/*',
            'node:*',
            ...wing('engine'),
            ...wing('electron'),
            ...wing('marketplace'),
            ...wing('native'),
            '**/preload/index',
            '**/preload/index.*',
          ],
        },
      ),
    },
  },
  {
    // Renderer unit tests run under Node and may stand up real servers (e.g. a `ws` host for api.ws.ts);
    // they still may not reach into the main process or the engine.
    files: ['renderer/**/*.test.{ts,tsx}'],
    rules: {
      'no-restricted-imports': boundary('Renderer tests may use Node, but not electron/, engine/ or marketplace/ code.', {
        paths: ['electron'],
        patterns: ['electron/*', ...wing('engine'), ...wing('electron'), ...wing('marketplace')],
      }),
    },
  },
  {
    // marketplace/ never imports electron/ or renderer/.
    files: ['marketplace/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': boundary('marketplace/ never imports Electron, electron/ or renderer/ (ARCHITECTURE.md).', {
        paths: ['electron'],
        patterns: ['electron/*', ...wing('electron'), ...wing('renderer')],
      }),
    },
  },
  {
    // Inside electron/, only main.ts talks to Electron itself; services stay runnable under plain Node.
    files: ['electron/**/*.ts'],
    ignores: ['electron/main.ts'],
    rules: {
      'no-restricted-imports': boundary(
        "Only electron/main.ts imports 'electron' (type-only imports are fine); services run under plain Node too (ARCHITECTURE.md).",
        { paths: ['electron'], patterns: ['electron/*', ...wing('renderer')], allowTypeImports: true },
      ),
    },
  },
  {
    // The contract and wire format are shared with the renderer: no Node or Electron at run time.
    files: ['preload/contract.ts', 'preload/wire.ts'],
    rules: {
      'no-restricted-imports': boundary('preload/contract.ts and wire.ts are loaded by the renderer: no Node or Electron imports.', {
        paths: ['electron', ...nodeBuiltins],
        patterns: ['node:*', ...wing('electron'), ...wing('renderer')],
      }),
    },
  },
);
