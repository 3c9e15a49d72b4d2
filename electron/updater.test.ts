// Update feed choice: packaged builds only, env before setting, https only, and a silent no when unset.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import workstationSchema from './db/migrations/workstation/0001-profiles';
import { readUpdateUrlSetting, resolveUpdateFeed, startUpdater, type AutoUpdaterLike, type UpdaterLog } from './updater';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'atelier-updater-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A workstation.db with the real schema and, optionally, an updateUrl setting. */
function workstationWith(updateUrl: string | null): string {
  const dir = tempDir();
  const db = new Database(path.join(dir, 'workstation.db'));
  db.pragma('journal_mode = WAL');
  db.exec(workstationSchema);
  if (updateUrl !== null) db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)').run('updateUrl', updateUrl);
  db.close();
  return dir;
}

class RecordingUpdater implements AutoUpdaterLike {
  autoDownload = false;
  logger: unknown = null;
  feeds: unknown[] = [];
  checks = 0;
  errorListeners: Array<(e: Error) => void> = [];
  failCheck = false;
  setFeedURL(options: { provider: 'generic'; url: string }): void {
    this.feeds.push(options);
  }
  async checkForUpdatesAndNotify(): Promise<unknown> {
    this.checks++;
    if (this.failCheck) throw new Error('getaddrinfo ENOTFOUND updates.example');
    return null;
  }
  on(_event: 'error', listener: (error: Error) => void): this {
    this.errorListeners.push(listener);
    return this;
  }
}

function memoryLog() {
  const lines: string[] = [];
  const log: UpdaterLog = {
    info: (m) => lines.push(`info ${m}`),
    warn: (m) => lines.push(`warn ${m}`),
    error: (m) => lines.push(`error ${m}`),
  };
  return { lines, log };
}

describe('resolveUpdateFeed', () => {
  it('is off in development builds whatever is configured', () => {
    expect(resolveUpdateFeed({ isPackaged: false, envUrl: 'https://updates.example/atelier' })).toMatchObject({ enabled: false });
  });

  it('is off, with the reason, when nothing is configured', () => {
    const d = resolveUpdateFeed({ isPackaged: true, envUrl: undefined, settingUrl: null });
    expect(d).toEqual({ enabled: false, reason: expect.stringContaining('ATELIER_UPDATE_URL') });
    expect(resolveUpdateFeed({ isPackaged: true, envUrl: '   ', settingUrl: '' }).enabled).toBe(false);
  });

  it('prefers the environment over the setting', () => {
    expect(resolveUpdateFeed({ isPackaged: true, envUrl: 'https://a.example/feed', settingUrl: 'https://b.example/feed' })).toEqual({
      enabled: true,
      url: 'https://a.example/feed',
      source: 'env',
    });
    expect(resolveUpdateFeed({ isPackaged: true, settingUrl: 'https://b.example/feed' })).toEqual({
      enabled: true,
      url: 'https://b.example/feed',
      source: 'setting',
    });
  });

  it('refuses feeds that could be tampered with on the way or leak credentials', () => {
    for (const url of ['http://updates.example/', 'ftp://updates.example/', 'file:///tmp/feed', 'https://u:p@updates.example/', 'not a url']) {
      expect(resolveUpdateFeed({ isPackaged: true, envUrl: url }).enabled, url).toBe(false);
    }
  });

  it('allows plain http only for a feed on this machine', () => {
    expect(resolveUpdateFeed({ isPackaged: true, envUrl: 'http://127.0.0.1:8080/feed' })).toMatchObject({ enabled: true });
    expect(resolveUpdateFeed({ isPackaged: true, envUrl: 'http://localhost:8080/feed' })).toMatchObject({ enabled: true });
  });
});

describe('readUpdateUrlSetting', () => {
  it('reads the updateUrl setting from workstation.db', () => {
    expect(readUpdateUrlSetting(workstationWith('https://updates.example/atelier'))).toBe('https://updates.example/atelier');
  });

  it('gives null when the setting, the database, or a sane database is missing', () => {
    expect(readUpdateUrlSetting(workstationWith(null))).toBeNull();
    expect(readUpdateUrlSetting(tempDir())).toBeNull();
    const garbage = tempDir();
    writeFileSync(path.join(garbage, 'workstation.db'), Buffer.alloc(4096, 0x5a));
    expect(readUpdateUrlSetting(garbage)).toBeNull();
  });
});

describe('startUpdater', () => {
  it('does not load electron-updater in development, and says why', async () => {
    const { lines, log } = memoryLog();
    let loaded = false;
    const running = await startUpdater({
      isPackaged: false,
      dataDir: tempDir(),
      env: { ATELIER_UPDATE_URL: 'https://updates.example/' },
      log,
      loadUpdater: async () => {
        loaded = true;
        return new RecordingUpdater();
      },
    });
    expect(loaded).toBe(false);
    expect(running.decision.enabled).toBe(false);
    expect(lines.join('\n')).toMatch(/Updates are off: this is a development build/);
  });

  it('points electron-updater at the generic feed from the setting and checks once at start', async () => {
    const { log } = memoryLog();
    const updater = new RecordingUpdater();
    const running = await startUpdater({
      isPackaged: true,
      dataDir: workstationWith('https://updates.example/atelier/'),
      env: {},
      log,
      loadUpdater: async () => updater,
    });
    running.stop();
    expect(running.decision).toEqual({ enabled: true, url: 'https://updates.example/atelier/', source: 'setting' });
    expect(updater.feeds).toEqual([{ provider: 'generic', url: 'https://updates.example/atelier/' }]);
    expect(updater.checks).toBe(1);
    expect(updater.logger).toBe(log);
  });

  it('logs an unreachable feed instead of failing the studio', async () => {
    const { lines, log } = memoryLog();
    const updater = new RecordingUpdater();
    updater.failCheck = true;
    const running = await startUpdater({
      isPackaged: true,
      dataDir: tempDir(),
      env: { ATELIER_UPDATE_URL: 'https://updates.example/' },
      log,
      loadUpdater: async () => updater,
    });
    running.stop();
    await new Promise((r) => setImmediate(r));
    expect(lines.some((l) => l.startsWith('warn Update check failed: getaddrinfo ENOTFOUND'))).toBe(true);
    updater.errorListeners[0]?.(new Error('bad signature'));
    expect(lines).toContain('warn Update check failed: bad signature');
  });

  it('stays off when electron-updater cannot load', async () => {
    const { lines, log } = memoryLog();
    const running = await startUpdater({
      isPackaged: true,
      dataDir: tempDir(),
      env: { ATELIER_UPDATE_URL: 'https://updates.example/' },
      log,
      loadUpdater: async () => {
        throw new Error('Cannot find module');
      },
    });
    expect(running.decision.enabled).toBe(false);
    expect(lines.join('\n')).toMatch(/updater could not start/);
  });
});
