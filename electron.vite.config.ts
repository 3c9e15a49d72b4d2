// electron-vite build of the studio: main + job worker (ESM), one sandbox-ready CommonJS preload, the React renderer.
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

const here = import.meta.dirname;

export default defineConfig({
  main: {
    build: {
      outDir: resolve(here, 'out/main'),
      // Dependencies stay in node_modules (packaged by electron-builder); the native ones must: a bundler
      // cannot inline better-sqlite3's or sharp's .node binaries.
      externalizeDeps: { include: ['better-sqlite3', 'sharp'] },
      rolldownOptions: {
        input: {
          index: resolve(here, 'electron/main.ts'),
          // Loaded by the worker pool with new URL('./job-worker.js', import.meta.url) from index.js.
          'job-worker': resolve(here, 'electron/jobs/worker.ts'),
        },
        output: {
          // package.json has "type": "module", so .js is ESM for both Electron and the worker thread.
          format: 'es',
          entryFileNames: '[name].js',
          chunkFileNames: 'chunks/[name]-[hash].js',
        },
      },
      sourcemap: true,
    },
  },
  preload: {
    build: {
      outDir: resolve(here, 'out/preload'),
      // A sandboxed preload can require only 'electron' and a few Node polyfills, never node_modules: bundle
      // everything (zod included) into one file, with no shared chunks.
      externalizeDeps: false,
      isolatedEntries: true,
      rolldownOptions: {
        input: { index: resolve(here, 'preload/index.ts') },
        output: {
          // Sandboxed preloads run as CommonJS scripts; .cjs keeps Node's "type": "module" from claiming it.
          format: 'cjs',
          entryFileNames: '[name].cjs',
        },
      },
      sourcemap: true,
    },
  },
  renderer: {
    root: resolve(here, 'renderer'),
    plugins: [react()],
    build: {
      outDir: resolve(here, 'out/renderer'),
      emptyOutDir: true,
      rolldownOptions: {
        input: { index: resolve(here, 'renderer/index.html') },
      },
    },
  },
});
