// The version of this checkout of Atelier (package.json), for the CLI and the web host outside Electron.
import { readFileSync } from 'node:fs';

/** Read at call time from package.json beside the sources: tsx runs them in place, nothing is bundled. */
export function atelierVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
  return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
}
