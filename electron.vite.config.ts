// electron-vite build of the studio: main + job worker (ESM), one sandbox-ready CommonJS preload, the React renderer.
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';

const here = import.meta.dirname;

/** Where scripts/build-native.mjs leaves the patch kernels, and where native/index.ts looks for them in a build. */
const NATIVE_ADDON = resolve(here, 'native/build/Release/atelier_native.node');
const NATIVE_ADDON_IN_BUILD = 'native/atelier_native.node';

/**
 * Copies the native patch kernels next to the main bundle (out/main/native/), where native/index.ts finds them
 * from out/main/*.js and electron-builder unpacks them from the asar (its asarUnpack rule for .node files).
 * Without a build the app still runs, on the TypeScript kernels, so a missing addon is a warning, not a failure.
 */
function nativeAddon(): Plugin {
  return {
    name: 'atelier-native-addon',
    apply: 'build',
    writeBundle(options) {
      const outDir = options.dir ?? resolve(here, 'out/main');
      if (!existsSync(NATIVE_ADDON)) {
        this.warn(`${NATIVE_ADDON} is not built (node scripts/build-native.mjs): the app will use the slower TypeScript kernels.`);
        return;
      }
      mkdirSync(resolve(outDir, 'native'), { recursive: true });
      copyFileSync(NATIVE_ADDON, resolve(outDir, NATIVE_ADDON_IN_BUILD));
    },
  };
}

export default defineConfig({
  main: {
    plugins: [nativeAddon()],
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
          // The kernels' loader as an entry of its own: whichever bundle uses the image engine imports it from
          // out/main/native.js, so the addon sits at one known place beside it (out/main/native/).
          native: resolve(here, 'native/index.ts'),
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
      // electron-vite leaves the renderer unminified by default (2.1 MB); minified it is ≈ 1.3 MB to parse at start-up.
      minify: true,
      rolldownOptions: {
        input: { index: resolve(here, 'renderer/index.html') },
      },
    },
  },
});
