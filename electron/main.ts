// The Electron main process: lifecycle, single instance, the hardened window, app:// pages, IPC, events, updates.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  nativeTheme,
  protocol,
  session,
  shell,
  type MenuItemConstructorOptions,
  type Session,
  type WebContents,
} from 'electron';
import { serveAppRequest } from './app-protocol';
import { registerIpc } from './ipc';
import {
  APP_ORIGIN,
  APP_SCHEME,
  contentSecurityPolicy,
  decidePermission,
  isAllowedNavigation,
  isTrustedSender,
  windowOpenDecision,
} from './security';
import { createStudio, type Studio } from './studio';
import { startUpdater, type RunningUpdater } from './updater';

/** The name data lives under (userData) and that menus show; electron-builder's productName matches. */
const PRODUCT_NAME = 'Atelier';
/** How long quitting waits for running jobs to stop and databases to close before leaving anyway. */
const STUDIO_CLOSE_TIMEOUT_MS = 10_000;
/** First window size: room for the sidebar plus a 4-column thumbnail grid on a 1366×768 laptop. */
const WINDOW_SIZE = { width: 1280, height: 800, minWidth: 880, minHeight: 560 } as const;
/** Painted before the page loads so the window does not flash white in dark mode (renderer tokens.css --bg). */
const BACKGROUND = { light: '#f6f4f1', dark: '#171513' } as const;

// Bundled layout (electron.vite.config.ts): out/main/index.js, out/preload/index.cjs, out/renderer/.
const mainDir = path.dirname(fileURLToPath(import.meta.url));
const rendererDir = path.join(mainDir, '..', 'renderer');
const preloadFile = path.join(mainDir, '..', 'preload', 'index.cjs');

// Only a development run may load the dev server: a packaged app ignores the variable, so nobody can point
// an installed studio at a remote page through the environment.
const devServerUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL || undefined : undefined;
const trust = { devServerUrl };

// <dataDir> of ARCHITECTURE.md. ATELIER_DATA_DIR gives tests (and the CLI, which reads the same variable) a
// separate studio; otherwise <appData>/Atelier, the folder the CLI uses too, in development as well as packaged.
app.setName(PRODUCT_NAME);
const dataDir = process.env.ATELIER_DATA_DIR
  ? path.resolve(process.env.ATELIER_DATA_DIR)
  : path.join(app.getPath('appData'), PRODUCT_NAME);
app.setPath('userData', dataDir);
// Chromium's own caches and storage go to a subfolder, so <dataDir> holds only what ARCHITECTURE.md lists.
app.setPath('sessionData', path.join(dataDir, 'chromium'));

// Before ready: app:// must be a standard, secure scheme so pages get a real origin, 'self' in the CSP
// means app://studio, and fetch/streams work like on https. corsEnabled stays off on purpose: it would let
// other origins read app:// responses; our page only loads its own origin, which needs no CORS.
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
]);
app.enableSandbox();

let studio: Studio | null = null;
let mainWindow: BrowserWindow | null = null;
let updater: RunningUpdater | null = null;
let disposeIpc: (() => void) | null = null;

// The lock lives in userData, so each ATELIER_DATA_DIR is its own instance (tests run side by side).
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow || mainWindow.isDestroyed()) {
      if (app.isReady() && studio) createWindow();
      return;
    }
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.show();
    mainWindow.focus();
  });

  app.on('web-contents-created', (_event, contents) => hardenContents(contents));

  app.on('window-all-closed', () => {
    // macOS keeps apps alive without windows; the studio session stays open until Quit.
    if (process.platform !== 'darwin') app.quit();
  });

  app.on('activate', () => {
    if (studio && BrowserWindow.getAllWindows().length === 0) createWindow();
  });

  let quitState: 'running' | 'closing' | 'closed' = 'running';
  app.on('will-quit', (event) => {
    if (quitState === 'closed') return;
    event.preventDefault();
    if (quitState === 'closing') return;
    quitState = 'closing';
    updater?.stop();
    disposeIpc?.();
    const closing = studio ? studio.close() : Promise.resolve();
    const deadline = new Promise<void>((resolve) => setTimeout(resolve, STUDIO_CLOSE_TIMEOUT_MS).unref());
    Promise.race([closing, deadline])
      .catch((error: unknown) => console.error('[atelier] closing the studio failed:', error))
      .finally(() => {
        quitState = 'closed';
        app.quit();
      });
  });

  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      console.error('[atelier] start-up failed:', error);
      const message = error instanceof Error ? error.message : String(error);
      dialog.showErrorBox('Atelier could not start', `${message}\n\nThe studio's data folder is ${dataDir}.`);
      app.exit(1);
    });
}

async function start(): Promise<void> {
  nativeTheme.themeSource = 'system';
  app.setAboutPanelOptions({ applicationName: PRODUCT_NAME, applicationVersion: app.getVersion(), copyright: 'GPL-3.0-or-later' });
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate()));

  hardenSession(session.defaultSession);
  protocol.handle(APP_SCHEME, (request) => serveAppRequest(request, rendererDir));

  studio = createStudio({
    dataDir,
    appVersion: app.getVersion(),
    transport: 'electron',
    workerEntry: new URL('./job-worker.js', import.meta.url),
  });
  disposeIpc = registerIpc(ipcMain, studio.handlers, (frameUrl) => isTrustedSender(frameUrl, trust));
  studio.events.onAny((eventName, payload) => {
    for (const win of BrowserWindow.getAllWindows()) {
      if (!win.isDestroyed() && !win.webContents.isDestroyed()) win.webContents.send(eventName, payload);
    }
  });

  createWindow();
  updater = await startUpdater({ isPackaged: app.isPackaged, dataDir });
}

function createWindow(): void {
  const win = new BrowserWindow({
    ...WINDOW_SIZE,
    title: PRODUCT_NAME,
    show: false,
    backgroundColor: nativeTheme.shouldUseDarkColors ? BACKGROUND.dark : BACKGROUND.light,
    // In a packaged app the OS takes the icon from the installed bundle; in development use ours.
    ...(app.isPackaged || process.platform === 'darwin' ? {} : { icon: path.join(mainDir, '..', '..', 'resources', 'icon.png') }),
    webPreferences: {
      preload: preloadFile,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
    },
  });
  mainWindow = win;
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
  win.webContents.on('render-process-gone', (_event, details) => {
    console.error(`[atelier] the studio window's renderer stopped (${details.reason}, exit ${details.exitCode})`);
  });
  void win.loadURL(devServerUrl ?? `${APP_ORIGIN}/index.html`).catch((error: unknown) => {
    console.error('[atelier] the studio page did not load:', error);
  });
}

/** Navigation, redirects, new windows and webviews: every web page Electron creates gets these rules. */
function hardenContents(contents: WebContents): void {
  const blockUnlessAllowed = (event: { url: string; preventDefault(): void }) => {
    if (!isAllowedNavigation(contents.getURL(), event.url, trust)) {
      event.preventDefault();
      console.warn(`[atelier] blocked navigation to ${event.url.slice(0, 200)}`);
    }
  };
  contents.on('will-navigate', blockUnlessAllowed);
  contents.on('will-redirect', blockUnlessAllowed);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    const decision = windowOpenDecision(url);
    if (decision.openExternally) {
      shell.openExternal(decision.openExternally).catch((error: unknown) => console.warn('[atelier] could not open a link:', error));
    }
    return { action: decision.action };
  });
}

/** Permissions are denied by default (security.ts decidePermission); devices likewise. */
function hardenSession(ses: Session): void {
  ses.setPermissionRequestHandler((contents, permission, callback, details) => {
    callback(decidePermission(permission, details.requestingUrl || contents.getURL(), trust));
  });
  ses.setPermissionCheckHandler((_contents, permission, requestingOrigin) => decidePermission(permission, requestingOrigin, trust));
  ses.setDevicePermissionHandler(() => false);

  if (devServerUrl) {
    // The dev server sends no CSP of its own; add ours (dev flavour: Vite's inline refresh preamble and its
    // HMR socket) so development runs under the same rules as the built app.
    const origin = new URL(devServerUrl).origin;
    const hmrSocket = origin.replace(/^http/, 'ws');
    const csp = contentSecurityPolicy({ dev: true, connect: [hmrSocket] });
    ses.webRequest.onHeadersReceived({ urls: [`${origin}/*`] }, (details, callback) => {
      const headers = { ...details.responseHeaders };
      for (const key of Object.keys(headers)) if (key.toLowerCase() === 'content-security-policy') delete headers[key];
      callback({ responseHeaders: { ...headers, 'Content-Security-Policy': [csp] } });
    });
  }
}

function menuTemplate(): MenuItemConstructorOptions[] {
  const isMac = process.platform === 'darwin';
  // Reload and developer tools only while developing: a reload mid-import would drop the page's job state.
  const developerItems: MenuItemConstructorOptions[] = app.isPackaged
    ? []
    : [{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, { type: 'separator' }];
  return [
    ...(isMac ? [{ role: 'appMenu' } as MenuItemConstructorOptions] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [...developerItems, { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }],
    },
    { role: 'windowMenu' },
    { role: 'help', submenu: isMac ? [] : [{ role: 'about' }] },
  ];
}
