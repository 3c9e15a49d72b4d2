// Update checks for packaged builds: electron-updater on a generic feed whose URL comes from config, off without one.
import path from 'node:path';
import Database from 'better-sqlite3';

/** The environment variable that points packaged builds (and electron-builder's publish config) at a feed. */
export const UPDATE_URL_ENV = 'ATELIER_UPDATE_URL';
/** The workstation.db settings key a creator or admin can set instead of the environment variable. */
export const UPDATE_URL_SETTING = 'updateUrl';
/** How often a running studio looks for a new version again (a long session should still hear of fixes). */
export const UPDATE_CHECK_INTERVAL_MS = 4 * 60 * 60 * 1000;

export type UpdateFeedDecision =
  | { enabled: true; url: string; source: 'env' | 'setting' }
  | { enabled: false; reason: string };

/** Loopback hosts may serve a feed over plain http (a local test feed); everything else needs https. */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

function checkFeedUrl(raw: string): { ok: true; url: string } | { ok: false; why: string } {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return { ok: false, why: 'is not a URL' };
  }
  if (u.username || u.password) return { ok: false, why: 'must not contain a user name or password' };
  if (u.protocol === 'https:' || (u.protocol === 'http:' && LOOPBACK_HOSTS.has(u.hostname))) return { ok: true, url: u.href };
  return { ok: false, why: 'must be an https:// address' };
}

/**
 * Whether to check for updates, and where. Development runs never update themselves; the environment
 * variable wins over the setting so an admin can redirect or test a feed without touching the database.
 */
export function resolveUpdateFeed(opts: { isPackaged: boolean; envUrl?: string | undefined; settingUrl?: string | null }): UpdateFeedDecision {
  if (!opts.isPackaged) return { enabled: false, reason: 'this is a development build, which never updates itself' };
  const candidates: Array<['env' | 'setting', string | null | undefined]> = [
    ['env', opts.envUrl],
    ['setting', opts.settingUrl],
  ];
  for (const [source, value] of candidates) {
    const raw = value?.trim();
    if (!raw) continue;
    const checked = checkFeedUrl(raw);
    const where = source === 'env' ? UPDATE_URL_ENV : `the ${UPDATE_URL_SETTING} setting`;
    if (!checked.ok) return { enabled: false, reason: `the update address in ${where} ${checked.why}` };
    return { enabled: true, url: checked.url, source };
  }
  return { enabled: false, reason: `no update address is configured (set ${UPDATE_URL_ENV} or the ${UPDATE_URL_SETTING} setting)` };
}

/**
 * The `updateUrl` setting from <dataDir>/workstation.db (ARCHITECTURE.md "Data on disk"), read on a
 * separate read-only connection. Null when the database, the table or the key does not exist yet.
 */
export function readUpdateUrlSetting(dataDir: string): string | null {
  let db: Database.Database | null = null;
  try {
    db = new Database(path.join(dataDir, 'workstation.db'), { readonly: true, fileMustExist: true });
    const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(UPDATE_URL_SETTING) as { value?: unknown } | undefined;
    return typeof row?.value === 'string' ? row.value : null;
  } catch {
    return null;
  } finally {
    db?.close();
  }
}

/** The part of electron-updater's autoUpdater used here. */
export interface AutoUpdaterLike {
  autoDownload: boolean;
  logger: unknown;
  setFeedURL(options: { provider: 'generic'; url: string }): void;
  checkForUpdatesAndNotify(): Promise<unknown>;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

export interface UpdaterLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface StartUpdaterOptions {
  isPackaged: boolean;
  dataDir: string;
  env?: Record<string, string | undefined>;
  log?: UpdaterLog;
  /** Loads electron-updater; injected by tests. Only called when updates are enabled. */
  loadUpdater?: () => Promise<AutoUpdaterLike>;
}

export interface RunningUpdater {
  readonly decision: UpdateFeedDecision;
  stop(): void;
}

const consoleLog: UpdaterLog = {
  info: (m) => console.log(`[atelier] ${m}`),
  warn: (m) => console.warn(`[atelier] ${m}`),
  error: (m) => console.error(`[atelier] ${m}`),
};

async function loadElectronUpdater(): Promise<AutoUpdaterLike> {
  // Imported lazily: electron-updater touches Electron's app object as it loads, so development runs and
  // tests never load it. It is CommonJS with a getter export, so the named export may only be on default.
  const mod = (await import('electron-updater')) as unknown as { autoUpdater?: AutoUpdaterLike; default?: { autoUpdater?: AutoUpdaterLike } };
  const updater = mod.autoUpdater ?? mod.default?.autoUpdater;
  if (!updater) throw new Error('electron-updater did not provide autoUpdater');
  return updater;
}

/**
 * Starts update checks when the build is packaged and a feed is configured; otherwise logs why not.
 * Never throws: an unreachable feed is logged and the studio carries on.
 */
export async function startUpdater(opts: StartUpdaterOptions): Promise<RunningUpdater> {
  const log = opts.log ?? consoleLog;
  const env = opts.env ?? process.env;
  const decision = resolveUpdateFeed({
    isPackaged: opts.isPackaged,
    envUrl: env[UPDATE_URL_ENV],
    // The database is read only when the environment does not already decide.
    settingUrl: opts.isPackaged && !env[UPDATE_URL_ENV]?.trim() ? readUpdateUrlSetting(opts.dataDir) : null,
  });
  if (!decision.enabled) {
    log.info(`Updates are off: ${decision.reason}.`);
    return { decision, stop: () => undefined };
  }
  let updater: AutoUpdaterLike;
  try {
    updater = await (opts.loadUpdater ?? loadElectronUpdater)();
  } catch (e) {
    log.error(`Updates are off: the updater could not start (${e instanceof Error ? e.message : String(e)}).`);
    return { decision: { enabled: false, reason: 'the updater could not start' }, stop: () => undefined };
  }
  updater.logger = log;
  updater.autoDownload = true;
  updater.setFeedURL({ provider: 'generic', url: decision.url });
  updater.on('error', (error) => log.warn(`Update check failed: ${error.message}`));
  const check = () => {
    updater.checkForUpdatesAndNotify().catch((error: unknown) => {
      log.warn(`Update check failed: ${error instanceof Error ? error.message : String(error)}`);
    });
  };
  log.info(`Checking for updates at ${decision.url} (from ${decision.source === 'env' ? UPDATE_URL_ENV : `the ${UPDATE_URL_SETTING} setting`}).`);
  check();
  const timer = setInterval(check, UPDATE_CHECK_INTERVAL_MS);
  timer.unref?.();
  return { decision, stop: () => clearInterval(timer) };
}
