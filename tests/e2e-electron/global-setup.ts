// Builds the app once (electron-vite build → out/) before the Electron end-to-end suites look at it or launch it.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

export default function buildApp(): void {
  const repo = path.resolve(import.meta.dirname, '..', '..');
  const cli = path.join(repo, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
  const result = spawnSync(process.execPath, [cli, 'build'], { cwd: repo, encoding: 'utf8', env: process.env });
  if (result.status !== 0) {
    throw new Error(`electron-vite build failed (${result.status ?? result.signal}):\n${result.stdout}\n${result.stderr}`);
  }
}
