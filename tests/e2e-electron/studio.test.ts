// The desktop app end to end: the build's shape (global-setup.ts builds it), the sandboxed preload, then (with
// an Electron binary) a real window: create a profile, lock, unlock, and see the studio shell under the CSP.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channels } from '../../preload/contract';

const repo = path.resolve(import.meta.dirname, '..', '..');
const out = path.join(repo, 'out');
const artifacts = path.join(repo, 'tests', '.artifacts', 'e2e-electron');

/** Where the Electron binary is, or why there is none (it is downloaded on the first `npm start`). */
function findElectron(): { path: string } | { reason: string } {
  const pkg = path.join(repo, 'node_modules', 'electron');
  if (!existsSync(pkg)) return { reason: 'the electron package is not installed' };
  const pathFile = path.join(pkg, 'path.txt');
  // Never require('electron') to find out: under Node that starts a download when the binary is missing.
  if (!existsSync(pathFile)) return { reason: 'no Electron binary in node_modules/electron/dist (Electron downloads it on first launch, which needs the internet)' };
  const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH || path.join(pkg, 'dist');
  const binary = path.join(dist, readFileSync(pathFile, 'utf8').trim());
  if (!existsSync(binary)) return { reason: `the Electron binary ${binary} is missing` };
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return { reason: 'no display to open a window on (run the suite under xvfb-run)' };
  }
  return { path: binary };
}

const electron = findElectron();
const skipReason = 'reason' in electron ? electron.reason : null;
if (skipReason) console.log(`[e2e-electron] Launching the app is skipped: ${skipReason}.`);

function run(cmd: string, args: string[]): void {
  const result = spawnSync(cmd, args, { cwd: repo, encoding: 'utf8', env: process.env });
  if (result.status !== 0) {
    throw new Error(`${[cmd, ...args].join(' ')} failed (${result.status ?? result.signal}):\n${result.stdout}\n${result.stderr}`);
  }
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)],
  );
}

describe('the built app', () => {
  it('has the main process, job worker, CommonJS preload and renderer where main.ts looks for them', () => {
    for (const file of ['main/index.js', 'main/job-worker.js', 'preload/index.cjs', 'renderer/index.html']) {
      expect(existsSync(path.join(out, file)), file).toBe(true);
    }
    expect(readFileSync(path.join(out, 'main', 'index.js'), 'utf8')).toContain('new URL("./job-worker.js", import.meta.url)');
  });

  it('loads at run time only Electron, Node built-ins and packaged dependencies', () => {
    const pkg = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const allowed = new Set(['electron', ...builtinModules, ...Object.keys(pkg.dependencies)]);
    const packageOf = (spec: string) => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
    const specifier = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)["']([^"'./][^"']*)["']/gm;
    const foreign: string[] = [];
    for (const file of filesUnder(path.join(out, 'main')).filter((f) => f.endsWith('.js'))) {
      for (const [, spec] of readFileSync(file, 'utf8').matchAll(specifier)) {
        const name = spec!.replace(/^node:/, '');
        if (!allowed.has(packageOf(name))) foreign.push(`${path.relative(out, file)}: ${spec}`);
      }
    }
    expect(foreign).toEqual([]);
  });

  it('has a preload that runs where only require("electron") exists, as in a sandboxed renderer', () => {
    const code = readFileSync(path.join(out, 'preload', 'index.cjs'), 'utf8');
    const exposed = new Map<string, unknown>();
    const requested: string[] = [];
    const fakeElectron = {
      contextBridge: { exposeInMainWorld: (key: string, value: unknown) => exposed.set(key, value) },
      ipcRenderer: { invoke: async () => ({ ok: true, value: null }), on: () => undefined, removeListener: () => undefined },
      webUtils: { getPathForFile: () => '' },
    };
    const sandboxRequire = (name: string) => {
      requested.push(name);
      if (name === 'electron') return fakeElectron;
      throw new Error(`module not found: ${name}`);
    };
    const module = { exports: {} };
    const wrapper = vm.runInNewContext(`(function (require, module, exports) {\n${code}\n})`, {
      console,
      URL,
      TextEncoder,
      TextDecoder,
      queueMicrotask,
      setTimeout,
      clearTimeout,
    }) as (r: typeof sandboxRequire, m: typeof module, e: unknown) => void;
    wrapper(sandboxRequire, module, module.exports);
    expect(requested).toEqual(['electron']);
    const api = exposed.get('atelier') as Record<string, Record<string, unknown>>;
    for (const channel of Object.keys(channels)) {
      const [domain, verb] = channel.split(':') as [string, string];
      expect(typeof api[domain]?.[verb], channel).toBe('function');
    }
  });
});

describe.skipIf(skipReason !== null)('the desktop app', () => {
  const nativeAbi = path.join(repo, 'scripts', 'native-abi.mjs');
  let dataDir = '';

  beforeAll(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'atelier-e2e-electron-'));
    // Electron needs its own better-sqlite3 build; afterAll puts the Node build back for the other suites.
    run(process.execPath, [nativeAbi, 'electron']);
  });

  afterAll(() => {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    run(process.execPath, [nativeAbi, 'node']);
  });

  it('opens on the profile picker, creates and unlocks a profile, and shows the studio shell', async () => {
    const { _electron } = await import('playwright-core');
    const app = await _electron.launch({
      args: [repo],
      cwd: repo,
      env: { ...process.env, ATELIER_DATA_DIR: dataDir, ELECTRON_RENDERER_URL: '' } as Record<string, string>,
      timeout: 60_000,
    });
    try {
      const page = await app.firstWindow();
      expect(new URL(page.url()).protocol).toBe('app:');

      // The page is sandboxed: no Node, no raw IPC, only the contract's bridge; eval is refused by the CSP.
      expect(
        await page.evaluate(() => {
          const w = window as unknown as Record<string, unknown>;
          let evalBlocked = false;
          try {
            (0, eval)('1');
          } catch {
            evalBlocked = true;
          }
          return { require: typeof w.require, process: typeof w.process, atelier: typeof w.atelier, evalBlocked };
        }),
      ).toEqual({ require: 'undefined', process: 'undefined', atelier: 'object', evalBlocked: true });

      await page.getByTestId('profile-picker').waitFor();
      await page.getByTestId('profile-create-name').fill('Mara');
      await page.getByTestId('profile-create-password').fill('correct horse');
      await page.getByTestId('profile-create-password-confirm').fill('correct horse');
      await page.getByTestId('profile-create-submit').click();
      await page.getByTestId('shell').waitFor();
      expect(await page.getByTestId('current-profile').textContent()).toContain('Mara');

      await page.getByTestId('lock-button').click();
      await page.getByTestId('profile-picker').waitFor();
      await page.getByTestId('profile-item').filter({ hasText: 'Mara' }).click();
      await page.getByTestId('unlock-password').fill('correct horse');
      await page.getByTestId('unlock-submit').click();
      await page.getByTestId('shell').waitFor();

      mkdirSync(artifacts, { recursive: true });
      await page.screenshot({ path: path.join(artifacts, 'shell.png') });
      // The profile lives in the test's own data folder, not the user's.
      expect(existsSync(path.join(dataDir, 'workstation.db'))).toBe(true);
    } finally {
      await app.close();
    }
  });
});
