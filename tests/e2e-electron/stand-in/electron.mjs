// A stand-in for the parts of Electron that electron/main.ts uses, so the built main process can run under plain
// Node where no Electron binary exists. It records what main.ts asks for; `standIn` lets a driver play the OS.
import { EventEmitter } from 'node:events';
import os from 'node:os';
import path from 'node:path';

export const standIn = {
  /** Everything main.ts did, in order: [what, ...details]. */
  calls: [],
  ready: false,
  readyWaiters: [],
  ipcHandlers: new Map(),
  protocolHandlers: new Map(),
  permissionRequestHandler: null,
  permissionCheckHandler: null,
  devicePermissionHandler: null,
  windows: [],
  exitCode: null,
  quitCompleted: false,
  /** Plays Electron's 'ready'. */
  fireReady() {
    this.ready = true;
    for (const resolve of this.readyWaiters.splice(0)) resolve();
  },
};

const record = (...entry) => standIn.calls.push(entry);

class StandInWebContents extends EventEmitter {
  constructor() {
    super();
    this.url = '';
    this.sent = [];
    this.windowOpenHandler = null;
  }
  getURL() {
    return this.url;
  }
  send(channel, payload) {
    // Electron serialises with structured clone; so does this, to catch payloads that could not cross.
    this.sent.push([channel, structuredClone(payload)]);
  }
  setWindowOpenHandler(handler) {
    this.windowOpenHandler = handler;
  }
  isDestroyed() {
    return false;
  }
}

export class BrowserWindow extends EventEmitter {
  static getAllWindows() {
    return standIn.windows.filter((w) => !w.destroyed);
  }
  constructor(options) {
    super();
    this.options = options;
    this.destroyed = false;
    this.visible = false;
    this.webContents = new StandInWebContents();
    standIn.windows.push(this);
    record('new BrowserWindow', options);
    app.emit('web-contents-created', { preventDefault() {} }, this.webContents);
  }
  loadURL(url) {
    record('loadURL', url);
    this.webContents.url = url;
    setImmediate(() => this.emit('ready-to-show'));
    return Promise.resolve();
  }
  show() {
    this.visible = true;
  }
  focus() {}
  restore() {}
  isMinimized() {
    return false;
  }
  isDestroyed() {
    return this.destroyed;
  }
}

class StandInApp extends EventEmitter {
  constructor() {
    super();
    this.isPackaged = false;
    this.paths = { appData: path.join(os.tmpdir(), 'atelier-stand-in-appdata') };
  }
  setName(name) {
    record('app.setName', name);
  }
  getVersion() {
    return '0.1.0';
  }
  getPath(name) {
    return this.paths[name];
  }
  setPath(name, value) {
    record('app.setPath', name, value, { beforeReady: !standIn.ready });
    this.paths[name] = value;
  }
  enableSandbox() {
    record('app.enableSandbox', { beforeReady: !standIn.ready });
  }
  requestSingleInstanceLock() {
    record('app.requestSingleInstanceLock');
    return process.env.STAND_IN_LOCK !== 'taken';
  }
  whenReady() {
    return new Promise((resolve) => (standIn.ready ? resolve() : standIn.readyWaiters.push(resolve)));
  }
  isReady() {
    return standIn.ready;
  }
  setAboutPanelOptions(options) {
    record('app.setAboutPanelOptions', options);
  }
  quit() {
    record('app.quit');
    const event = { defaultPrevented: false, preventDefault() { this.defaultPrevented = true; } };
    this.emit('will-quit', event);
    if (!event.defaultPrevented) standIn.quitCompleted = true;
  }
  exit(code) {
    record('app.exit', code);
    standIn.exitCode = code;
  }
}

export const app = new StandInApp();

export const ipcMain = {
  handle(channel, listener) {
    if (standIn.ipcHandlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    standIn.ipcHandlers.set(channel, listener);
  },
  removeHandler(channel) {
    standIn.ipcHandlers.delete(channel);
  },
};

export const protocol = {
  registerSchemesAsPrivileged(schemes) {
    record('protocol.registerSchemesAsPrivileged', schemes, { beforeReady: !standIn.ready });
  },
  handle(scheme, handler) {
    standIn.protocolHandlers.set(scheme, handler);
  },
};

export const session = {
  defaultSession: {
    setPermissionRequestHandler(handler) {
      standIn.permissionRequestHandler = handler;
    },
    setPermissionCheckHandler(handler) {
      standIn.permissionCheckHandler = handler;
    },
    setDevicePermissionHandler(handler) {
      standIn.devicePermissionHandler = handler;
    },
    webRequest: {
      onHeadersReceived(filter) {
        record('webRequest.onHeadersReceived', filter);
      },
    },
  },
};

export const shell = {
  openExternal(url) {
    record('shell.openExternal', url);
    return Promise.resolve();
  },
};

export const dialog = {
  showErrorBox(title, message) {
    record('dialog.showErrorBox', title, message);
  },
};

export const Menu = {
  buildFromTemplate(template) {
    return template;
  },
  setApplicationMenu(menu) {
    record('Menu.setApplicationMenu', menu);
  },
};

export const nativeTheme = { themeSource: 'light', shouldUseDarkColors: false };

export default { app, BrowserWindow, dialog, ipcMain, Menu, nativeTheme, protocol, session, shell };
