// The built main process (out/main/index.js) run under Node with a stand-in for Electron (stand-in/electron.mjs):
// where no Electron binary exists this still proves the window's settings, app:// serving, the navigation and
// permission rules, IPC into the real studio (real SQLite, real worker threads, real sharp) and a clean quit.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channels } from '../../preload/contract';

const repo = path.resolve(import.meta.dirname, '..', '..');
const standIn = path.join(import.meta.dirname, 'stand-in');

interface Report {
  beforeReady: Array<{ what: string; beforeReady?: boolean }>;
  privileged: Array<{ scheme: string; privileges: Record<string, boolean> }> | null;
  userData: string;
  sessionData: string;
  quitCalled?: boolean;
  windows?: number;
  [key: string]: unknown;
}

function runMain(env: Record<string, string>): Report {
  const result = spawnSync(
    process.execPath,
    ['--import', path.join(standIn, 'register.mjs'), path.join(standIn, 'drive-main.mjs'), path.join(repo, 'out', 'main', 'index.js')],
    { cwd: repo, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 },
  );
  const line = result.stdout.split('\n').find((l) => l.startsWith('REPORT '));
  if (result.status !== 0 || !line) {
    throw new Error(`The main process run failed (${result.status ?? result.signal}):\n${result.stdout}\n${result.stderr}`);
  }
  return JSON.parse(line.slice('REPORT '.length)) as Report;
}

describe('the built main process, under Node with a stand-in Electron', () => {
  let dataDir = '';
  let report: Report;

  beforeAll(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'atelier-main-under-node-'));
    report = runMain({ ATELIER_DATA_DIR: dataDir, ELECTRON_RENDERER_URL: '' });
  });

  afterAll(() => {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('sets the data folder, the app:// scheme and the sandbox before Electron is ready', () => {
    expect(report.userData).toBe(dataDir);
    // Chromium's caches stay out of the studio's own files.
    expect(report.sessionData).toBe(path.join(dataDir, 'chromium'));
    expect(report.privileged).toEqual([{ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) }]);
    const early = report.beforeReady.filter((c) => ['app.setPath', 'protocol.registerSchemesAsPrivileged', 'app.enableSandbox'].includes(c.what));
    expect([...new Set(early.map((c) => c.what))].sort()).toEqual(['app.enableSandbox', 'app.setPath', 'protocol.registerSchemesAsPrivileged']);
    expect(early.every((c) => c.beforeReady === true)).toBe(true);
  });

  it('opens one locked-down window on app://studio with the bundled preload', () => {
    expect(report.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
    });
    expect(String((report.webPreferences as { preload: string }).preload)).toMatch(/out[\\/]preload[\\/]index\.cjs$/);
    expect(report.preloadExists).toBe(true);
    expect(report.loadedUrl).toBe('app://studio/index.html');
    expect(report.menuSet).toBe(true);
    // A built app sets no dev-server CSP hook.
    expect(report.headerFilters).toEqual([]);
  });

  it('serves the renderer over app:// with the CSP header and refuses traversal', () => {
    const page = report.page as { status: number; csp: string; html: string };
    expect(page.status).toBe(200);
    expect(page.csp).toContain("script-src 'self'");
    expect(page.csp).not.toContain('unsafe-eval');
    expect(page.html.toLowerCase()).toContain('<!doctype html');
    const traversal = report.traversal as { status: number; body: string };
    expect(traversal.status).toBe(404);
    expect(traversal.body).not.toContain('"name"');
  });

  it('blocks leaving the app, webviews and new windows; only https links go to the OS browser', () => {
    expect(report.blocked).toEqual({ website: true, file: true, ownPage: false, redirect: true, webview: true });
    expect(report.windowOpen).toEqual({ https: { action: 'deny' }, file: { action: 'deny' } });
    expect(report.openedExternally).toEqual(['https://atelier.example/help']);
  });

  it('denies permission requests and checks, and device access', () => {
    expect(report.permissions).toEqual({ requestMedia: false, requestNotifications: false, checkClipboardRead: false, device: false });
  });

  it('answers every contract channel over IPC, refusing strangers and bad input', () => {
    expect(report.channels).toEqual(Object.keys(channels).sort());
    expect(report.untrusted).toMatchObject({ ok: false, error: { code: 'AUTH' } });
    expect(report.invalid).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(report.noProfile).toEqual({ ok: false, error: { code: 'AUTH', message: 'Unlock a profile first.' } });
    expect(report.created).toBe(true);
    expect(report.wrongPassword).toMatchObject({ ok: false, error: { code: 'AUTH' } });
    expect(report.unlocked).toMatchObject({ ok: true, value: { name: 'Mara' } });
  });

  it('imports through the job worker bundle, reports the broken file, and returns thumbnails as bytes', () => {
    expect(report.importStarted).toBe(true);
    expect(report.importJob).toMatchObject({ imported: 1, failed: 1 });
    expect(report.assets).toEqual([{ name: 'red.png', width: 64, height: 48 }]);
    expect(report.thumbnail).toMatchObject({ isUint8Array: true });
    expect((report.thumbnail as { bytes: number }).bytes).toBeGreaterThan(0);
  });

  it('forwards studio events to the window', () => {
    expect(report.eventsSent).toEqual(expect.arrayContaining(['assets:changed', 'jobs:updated', 'session:changed']));
  });

  it('closes the studio before quitting, and quits', () => {
    expect(report.quit).toEqual({ completed: true, quitCalls: 2 });
    expect(report.errorsShown).toEqual([]);
  });
});

describe('a development run (electron-vite dev)', () => {
  it('loads the dev server and puts the dev CSP on its responses', () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'atelier-main-under-node-'));
    try {
      const report = runMain({ ATELIER_DATA_DIR: dataDir, ELECTRON_RENDERER_URL: 'http://localhost:5173' });
      expect(report.loadedUrl).toBe('http://localhost:5173');
      expect(report.headerFilters).toEqual([{ urls: ['http://localhost:5173/*'] }]);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('a second launch', () => {
  it('quits at once when another instance holds the lock, opening no window', () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'atelier-main-under-node-'));
    try {
      const report = runMain({ ATELIER_DATA_DIR: dataDir, STAND_IN_LOCK: 'taken' });
      expect(report.quitCalled).toBe(true);
      expect(report.windows).toBe(0);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
