// Runs the built main process (out/main/index.js) under Node with the stand-in Electron, plays the OS and the
// renderer against it, and prints what happened as one `REPORT {json}` line for main-under-node.test.ts.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import sharp from 'sharp';
import { app, standIn } from 'electron';

const APP_PAGE = 'app://studio/index.html';
const FINAL_STATES = new Set(['succeeded', 'failed', 'cancelled', 'interrupted']);
const WAIT_LIMIT_MS = 60_000;

async function waitFor(what, predicate) {
  const started = Date.now();
  while (!(await predicate())) {
    if (Date.now() - started > WAIT_LIMIT_MS) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const report = {};
const mainFile = path.resolve(process.argv[2]);
await import(pathToFileURL(mainFile).href);

report.beforeReady = standIn.calls.map(([what, ...rest]) => ({ what, beforeReady: rest.at(-1)?.beforeReady }));
report.privileged = standIn.calls.find(([what]) => what === 'protocol.registerSchemesAsPrivileged')?.[1] ?? null;
report.userData = app.getPath('userData');
report.sessionData = app.getPath('sessionData');

if (process.env.STAND_IN_LOCK === 'taken') {
  await new Promise((resolve) => setTimeout(resolve, 100));
  report.quitCalled = standIn.calls.some(([what]) => what === 'app.quit');
  report.windows = standIn.windows.length;
  console.log(`REPORT ${JSON.stringify(report)}`);
  process.exit(0);
}

standIn.fireReady();
await waitFor('the window', () => standIn.windows.length === 1);
const win = standIn.windows[0];
const wc = win.webContents;
report.webPreferences = win.options.webPreferences;
report.preloadExists = existsSync(win.options.webPreferences.preload);
report.loadedUrl = wc.getURL();
await waitFor('the window to show', () => win.visible);
report.menuSet = standIn.calls.some(([what]) => what === 'Menu.setApplicationMenu');
report.headerFilters = standIn.calls.filter(([what]) => what === 'webRequest.onHeadersReceived').map(([, filter]) => filter);

// app:// pages
const serve = standIn.protocolHandlers.get('app');
const page = await serve({ url: APP_PAGE, method: 'GET' });
report.page = { status: page.status, csp: page.headers.get('content-security-policy'), html: (await page.text()).slice(0, 200) };
const traversal = await serve({ url: 'app://studio/..%2f..%2fpackage.json', method: 'GET' });
report.traversal = { status: traversal.status, body: await traversal.text() };

// Navigation, redirects, webviews, new windows
const attempt = (event, url) => {
  const e = { url, prevented: false, preventDefault() { this.prevented = true; } };
  wc.emit(event, e);
  return e.prevented;
};
report.blocked = {
  website: attempt('will-navigate', 'https://evil.example/'),
  file: attempt('will-navigate', 'file:///etc/passwd'),
  ownPage: attempt('will-navigate', `${APP_PAGE}#/models`),
  redirect: attempt('will-redirect', 'https://evil.example/'),
};
const webview = { prevented: false, preventDefault() { this.prevented = true; } };
wc.emit('will-attach-webview', webview, {}, {});
report.blocked.webview = webview.prevented;
report.windowOpen = {
  https: wc.windowOpenHandler({ url: 'https://atelier.example/help' }),
  file: wc.windowOpenHandler({ url: 'file:///etc/passwd' }),
};
await new Promise((resolve) => setImmediate(resolve));
report.openedExternally = standIn.calls.filter(([what]) => what === 'shell.openExternal').map(([, url]) => url);

// Permissions
report.permissions = {
  requestMedia: await new Promise((resolve) => standIn.permissionRequestHandler(wc, 'media', resolve, { requestingUrl: APP_PAGE })),
  requestNotifications: await new Promise((resolve) =>
    standIn.permissionRequestHandler(wc, 'notifications', resolve, { requestingUrl: 'https://evil.example/' }),
  ),
  checkClipboardRead: standIn.permissionCheckHandler(wc, 'clipboard-read', 'app://studio', {}),
  device: standIn.devicePermissionHandler({ deviceType: 'usb', origin: 'app://studio' }),
};

// IPC, as the renderer would call it
const invoke = (channel, input, frameUrl = APP_PAGE) => standIn.ipcHandlers.get(channel)({ senderFrame: { url: frameUrl } }, input);
report.channels = [...standIn.ipcHandlers.keys()].sort();
report.untrusted = await invoke('profiles:list', {}, 'https://evil.example/');
report.invalid = await invoke('profiles:create', { name: '', password: 'pw' });
report.noProfile = await invoke('assets:list', {});
const created = await invoke('profiles:create', { name: 'Mara', password: 'correct horse' });
report.created = created.ok;
report.wrongPassword = await invoke('profiles:unlock', { profileId: created.value.id, password: 'nope' });
report.unlocked = await invoke('profiles:unlock', { profileId: created.value.id, password: 'correct horse' });

const png = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#c0392b' } }).png().toBuffer();
const started = await invoke('assets:import', {
  sources: [
    { kind: 'bytes', name: 'red.png', bytes: new Uint8Array(png) },
    { kind: 'bytes', name: 'broken.png', bytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]) },
  ],
});
report.importStarted = started.ok;
let job = started.value;
await waitFor('the import job', async () => {
  job = (await invoke('jobs:get', { jobId: started.value.id })).value;
  return FINAL_STATES.has(job.state);
});
report.importJob = { state: job.state, imported: job.result?.imported, failed: job.result?.failed };
const list = await invoke('assets:list', {});
report.assets = list.value.items.map((a) => ({ name: a.originalName, width: a.width, height: a.height }));
const thumb = list.value.items[0] ? await invoke('assets:thumbnail', { assetId: list.value.items[0].id }) : null;
report.thumbnail = thumb?.ok ? { mime: thumb.value.mime, bytes: thumb.value.bytes.length, isUint8Array: thumb.value.bytes instanceof Uint8Array } : thumb;

report.eventsSent = [...new Set(wc.sent.map(([channel]) => channel))].sort();

// Quitting closes the studio first, then really quits.
app.quit();
await waitFor('the studio to close and the app to quit', () => standIn.quitCompleted);
report.quit = { completed: standIn.quitCompleted, quitCalls: standIn.calls.filter(([what]) => what === 'app.quit').length };
report.errorsShown = standIn.calls.filter(([what]) => what === 'dialog.showErrorBox');

console.log(`REPORT ${JSON.stringify(report)}`);
process.exit(0);
