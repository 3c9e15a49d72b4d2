// Builds the renderer for the loopback host once per run (vite build -c vite.web.config.ts → out/web).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

export default function setup(): void {
  const vite = path.join(root, 'node_modules', '.bin', 'vite');
  const run = spawnSync(vite, ['build', '-c', 'vite.web.config.ts', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
    env: process.env,
  });
  if (run.status !== 0) {
    throw new Error(`Building the renderer failed (vite build -c vite.web.config.ts exited with ${run.status ?? run.signal}).`);
  }
  if (!existsSync(path.join(root, 'out', 'web', 'index.html'))) {
    throw new Error('The renderer build wrote no out/web/index.html; check build.outDir in vite.web.config.ts.');
  }
}
