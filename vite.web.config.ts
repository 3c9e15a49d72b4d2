// Builds the renderer for the loopback host (`npm run dev:web`, browser tests): renderer/ → out/web.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('./renderer', import.meta.url));
const outDir = fileURLToPath(new URL('./out/web', import.meta.url));

export default defineConfig({
  root,
  // Relative asset URLs: the same build works at any path the host serves it from.
  base: './',
  plugins: [react()],
  build: {
    outDir,
    emptyOutDir: true,
    // Electron 45 and current Chromium; no legacy transforms needed.
    target: 'chrome128',
    sourcemap: true,
  },
});
