/**
 * STAND-IN for the `electron` module (main process), for running the real built main bundle
 * (out/main/main.js) under plain Node on machines where no Electron binary can be installed.
 *
 * It is NOT Electron. It follows the documented behaviour of Electron 41's main-process API
 * (electron/electron docs/api: app.md, browser-window.md, web-contents.md, web-frame-main.md,
 * ipc-main.md, structures/ipc-main-invoke-event.md, protocol.md, net.md, session.md, shell.md,
 * dialog.md, menu.md, safe-storage.md) for the parts the shell uses, including the documented
 * ordering rules, which it enforces by throwing as Electron does:
 * - `protocol.registerSchemesAsPrivileged` and `app.enableSandbox` only before `ready`;
 * - `protocol.handle`, `session.defaultSession`, `new BrowserWindow` only after `ready`;
 * - `ipcMain.handle` refuses a second handler for a channel; `protocol.handle` a second handler
 *   for a scheme; a menu item needs a label, role or type;
 * - `webContents.send` arguments go through the structured clone algorithm;
 * - `net.fetch` of a `file:` URL reads the file and rejects with `net::ERR_FILE_NOT_FOUND` when
 *   there is none (other schemes are refused: no network here).
 * It records what the shell registers and lets a test drive it over the Node IPC channel of a
 * forked process (see test/shell/harness.ts): invoke an IPC channel from a chosen frame, request
 * an app:// URL through the registered protocol handler, navigate, open windows, ask for a
 * permission, quit. Configuration comes from the ELECTRON_STAND_IN environment variable (JSON):
 * { appPath, userData, isPackaged, resourcesPath, singleInstanceLock }.
 * Rendering, the preload and the renderer process are not simulated: a window "loads" its URL
 * by fetching the page and the scripts and styles it references through the protocol handler.
 */
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const config = JSON.parse(process.env.ELECTRON_STAND_IN ?? '{}');
const ELECTRON_VERSION = '41.7.1';
Object.defineProperty(process.versions, 'electron', { value: ELECTRON_VERSION, enumerable: true });
Object.defineProperty(process.versions, 'chrome', { value: '146.0.0.0', enumerable: true, configurable: true });
if (config.isPackaged) process.resourcesPath = config.resourcesPath;

/** Everything the shell did, in order, for the test to read. */
const record = {
  timeline: [],
  privilegedSchemes: [],
  protocolHandlers: [],
  ipcHandlers: [],
  windows: [],
  applicationMenu: null,
  permissionRequestHandler: false,
  permissionCheckHandler: false,
  openedExternal: [],
  errorBoxes: [],
  messageBoxes: [],
  sent: [],
  sandboxEnabled: false,
  singleInstanceLockRequested: false,
  quitRequested: 0,
  exitCode: null,
};
const note = (what) => record.timeline.push({ what, afterReady: isReady });

let isReady = false;
/** Set when app.quit() was called before ready: the process ends right after ready. */
let pendingExitCode = null;

// ---------------------------------------------------------------- app
class App extends EventEmitter {
  #readyPromise = new Promise((resolve) => {
    this.once('ready', () => resolve());
  });
  get isPackaged() {
    return Boolean(config.isPackaged);
  }
  whenReady() {
    return this.#readyPromise;
  }
  isReady() {
    return isReady;
  }
  getAppPath() {
    return config.appPath;
  }
  getPath(name) {
    if (name === 'userData') return config.userData;
    if (name === 'temp') return tmpdir();
    if (name === 'exe') return process.execPath;
    return join(config.userData, `stand-in-${name}`);
  }
  getName() {
    return this.#packageJson().productName ?? this.#packageJson().name;
  }
  getVersion() {
    return this.#packageJson().version;
  }
  #packageJson() {
    return JSON.parse(readFileSync(join(config.appPath, 'package.json'), 'utf8'));
  }
  enableSandbox() {
    if (isReady) throw new Error('app.enableSandbox() can only be called before app is ready');
    record.sandboxEnabled = true;
    note('app.enableSandbox');
  }
  requestSingleInstanceLock() {
    record.singleInstanceLockRequested = true;
    note('app.requestSingleInstanceLock');
    return config.singleInstanceLock !== false;
  }
  setAppUserModelId() {}
  /** Emits before-quit and will-quit (both preventable), then quit, then ends the process. */
  quit() {
    record.quitRequested += 1;
    note('app.quit');
    const before = new StandInEvent();
    this.emit('before-quit', before);
    if (before.defaultPrevented) return;
    for (const w of [...windows]) w.destroy();
    const will = new StandInEvent();
    this.emit('will-quit', will);
    if (will.defaultPrevented) return;
    this.emit('quit', new StandInEvent(), 0);
    // Electron shuts its message loop down asynchronously: called before `ready` (the
    // single-instance pattern), `ready` is still emitted and its handlers run before the process
    // ends. That is why start-up work must not be reachable from a second instance.
    if (!isReady) pendingExitCode = 0;
    else this.exit(0);
  }
  exit(code = 0) {
    record.exitCode = code;
    note(`app.exit(${code})`);
    report({ exit: code, record: JSON.parse(JSON.stringify(record)) }).finally(() => process.exit(code));
  }
}

class StandInEvent {
  defaultPrevented = false;
  preventDefault() {
    this.defaultPrevented = true;
  }
}

export const app = new App();

// ---------------------------------------------------------------- protocol and net
const schemeHandlers = new Map();

export const protocol = {
  registerSchemesAsPrivileged(schemes) {
    if (isReady) throw new Error('protocol.registerSchemesAsPrivileged should be called before app is ready');
    record.privilegedSchemes.push(...structuredClone(schemes));
    note('protocol.registerSchemesAsPrivileged');
  },
  handle(scheme, handler) {
    if (!isReady) throw new Error('protocol.handle can only be used after the ready event');
    if (schemeHandlers.has(scheme)) throw new Error(`Failed to register protocol: ${scheme}`);
    schemeHandlers.set(scheme, handler);
    record.protocolHandlers.push(scheme);
    note(`protocol.handle(${scheme})`);
  },
  unhandle(scheme) {
    schemeHandlers.delete(scheme);
  },
  isProtocolHandled(scheme) {
    return schemeHandlers.has(scheme);
  },
};

const MIME = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.cjs': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png', '.woff2': 'font/woff2', '.wasm': 'application/wasm' };

export const net = {
  async fetch(input, init) {
    const url = typeof input === 'string' ? input : input.url;
    if (!url.startsWith('file:')) throw new TypeError(`stand-in net.fetch: only file: URLs are served here (got ${url})`);
    let body;
    try {
      body = readFileSync(fileURLToPath(url));
    } catch {
      throw new TypeError('net::ERR_FILE_NOT_FOUND');
    }
    const method = init?.method ?? (typeof input === 'string' ? 'GET' : input.method);
    return new Response(method === 'HEAD' ? null : body, { status: 200, headers: { 'content-type': MIME[extname(fileURLToPath(url))] ?? 'application/octet-stream' } });
  },
};

/** A privileged "standard" scheme gets an origin of scheme://host, as Chromium serialises it. */
function originOf(url) {
  try {
    const u = new URL(url);
    if (record.privilegedSchemes.some((s) => `${s.scheme}:` === u.protocol && s.privileges?.standard)) return `${u.protocol}//${u.host}`;
    return u.origin;
  } catch {
    return 'null';
  }
}

/** Request `url` through the registered handler of its scheme, as Chromium would. */
async function requestThroughProtocol(url, method = 'GET') {
  const scheme = url.slice(0, url.indexOf(':'));
  const handler = schemeHandlers.get(scheme);
  if (!handler) return { status: -1, error: `net::ERR_UNKNOWN_URL_SCHEME (${scheme})`, headers: {}, body: '' };
  try {
    const response = await handler(new Request(url, { method }));
    if (!(response instanceof Response)) return { status: -1, error: 'handler did not return a Response', headers: {}, body: '' };
    const body = method === 'HEAD' ? '' : await response.text();
    return { status: response.status, headers: Object.fromEntries(response.headers), body };
  } catch (e) {
    // Electron turns a throwing or rejecting handler into a failed request (net::ERR_FAILED).
    return { status: -1, error: `net::ERR_FAILED (${e instanceof Error ? e.message : String(e)})`, headers: {}, body: '' };
  }
}

// ---------------------------------------------------------------- frames, web contents, windows
let nextFrameId = 1;

class WebFrameMain {
  constructor(url, parent = null) {
    this.url = url;
    this.parent = parent;
    this.frameTreeNodeId = nextFrameId++;
    this.processId = 100 + this.frameTreeNodeId;
    this.routingId = this.frameTreeNodeId;
    this.name = '';
    this.frames = [];
    this.detached = false;
    this.destroyed = false;
  }
  get origin() {
    return originOf(this.url);
  }
  get top() {
    let f = this;
    while (f.parent) f = f.parent;
    return f;
  }
  isDestroyed() {
    return this.destroyed;
  }
}

let nextContentsId = 1;

class WebContents extends EventEmitter {
  constructor(preferences) {
    super();
    this.id = nextContentsId++;
    this.preferences = preferences;
    this.mainFrame = new WebFrameMain('');
    this.windowOpenHandler = null;
    this.destroyed = false;
  }
  getURL() {
    return this.mainFrame.url;
  }
  setWindowOpenHandler(handler) {
    this.windowOpenHandler = handler;
    note(`webContents.setWindowOpenHandler(${this.id})`);
  }
  send(channel, ...args) {
    if (this.destroyed) throw new Error('Object has been destroyed');
    // Electron serialises with the structured clone algorithm: functions or symbols throw.
    record.sent.push({ channel, args: structuredClone(args) });
    note(`webContents.send(${channel}, ${typeof args[0] === 'string' ? args[0] : typeof args[0]})`);
  }
  openDevTools() {
    if (this.preferences.devTools === false) return;
    note('webContents.openDevTools');
  }
  isDevToolsOpened() {
    return false;
  }
  isDestroyed() {
    return this.destroyed;
  }
}

const windows = [];
let nextWindowId = 1;

export class BrowserWindow extends EventEmitter {
  static getAllWindows() {
    return windows.filter((w) => !w.destroyed);
  }
  static getFocusedWindow() {
    return windows.find((w) => w.focused && !w.destroyed) ?? null;
  }
  static fromWebContents(contents) {
    return windows.find((w) => w.webContents === contents) ?? null;
  }
  constructor(options = {}) {
    super();
    if (!isReady) throw new Error('Cannot create BrowserWindow before app is ready');
    this.id = nextWindowId++;
    this.options = options;
    this.webContents = new WebContents(options.webPreferences ?? {});
    this.destroyed = false;
    this.visible = options.show !== false;
    this.focused = false;
    this.minimized = false;
    this.entry = { id: this.id, options: structuredClone(options), loadedUrl: null, resources: [], shown: this.visible, focused: 0, restored: 0 };
    windows.push(this);
    record.windows.push(this.entry);
    note(`new BrowserWindow(${this.id})`);
    app.emit('web-contents-created', new StandInEvent(), this.webContents);
  }
  /** Loads the page and the scripts/styles it references through the protocol handler. */
  async loadURL(url) {
    this.entry.loadedUrl = url;
    note(`BrowserWindow.loadURL(${url})`);
    const nav = new StandInEvent();
    nav.url = url;
    this.webContents.emit('did-start-navigation', nav, url, false, true);
    const page = await requestThroughProtocol(url);
    this.entry.resources.push({ url, status: page.status, error: page.error ?? null, csp: page.headers['content-security-policy'] ?? null });
    if (page.status !== 200) {
      this.webContents.emit('did-fail-load', new StandInEvent(), -6, page.error ?? `HTTP ${page.status}`, url, true);
      throw new Error(`ERR_FAILED (-2) loading '${url}'`);
    }
    this.webContents.mainFrame.url = url;
    for (const m of page.body.matchAll(/<(?:script|link)\b[^>]*\b(?:src|href)="([^"]+)"/g)) {
      const asset = new URL(m[1], url).href;
      if (!asset.startsWith(`${new URL(url).protocol}//`)) continue;
      const r = await requestThroughProtocol(asset);
      this.entry.resources.push({ url: asset, status: r.status, error: r.error ?? null, csp: null });
    }
    this.webContents.emit('dom-ready', new StandInEvent());
    this.webContents.emit('did-finish-load', new StandInEvent());
    this.emit('ready-to-show', new StandInEvent());
  }
  show() {
    this.visible = true;
    this.entry.shown = true;
    note(`BrowserWindow.show(${this.id})`);
  }
  focus() {
    this.focused = true;
    this.entry.focused += 1;
  }
  isMinimized() {
    return this.minimized;
  }
  restore() {
    this.minimized = false;
    this.entry.restored += 1;
  }
  isDestroyed() {
    return this.destroyed;
  }
  setMenu() {}
  destroy() {
    if (this.destroyed) return;
    this.destroyed = true;
    this.webContents.destroyed = true;
    this.webContents.mainFrame.destroyed = true;
    this.emit('closed');
  }
  close() {
    const e = new StandInEvent();
    this.emit('close', e);
    if (e.defaultPrevented) return;
    this.destroy();
    if (BrowserWindow.getAllWindows().length === 0) app.emit('window-all-closed');
  }
}

// ---------------------------------------------------------------- ipcMain
const invokeHandlers = new Map();

class IpcMain extends EventEmitter {
  handle(channel, listener) {
    if (invokeHandlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    invokeHandlers.set(channel, listener);
    record.ipcHandlers.push(channel);
  }
  handleOnce(channel, listener) {
    this.handle(channel, async (...args) => {
      invokeHandlers.delete(channel);
      return listener(...args);
    });
  }
  removeHandler(channel) {
    invokeHandlers.delete(channel);
  }
}

export const ipcMain = new IpcMain();

// ---------------------------------------------------------------- session, shell, dialog, menu
const defaultSession = {
  setPermissionRequestHandler(handler) {
    this.permissionRequest = handler;
    record.permissionRequestHandler = handler !== null;
    note('session.setPermissionRequestHandler');
  },
  setPermissionCheckHandler(handler) {
    this.permissionCheck = handler;
    record.permissionCheckHandler = handler !== null;
    note('session.setPermissionCheckHandler');
  },
  permissionRequest: null,
  permissionCheck: null,
  protocol,
};

export const session = {
  get defaultSession() {
    if (!isReady) throw new Error('Session can only be received when app is ready');
    return defaultSession;
  },
  fromPartition() {
    throw new Error('stand-in: only the default session exists');
  },
};

export const shell = {
  async openExternal(url) {
    record.openedExternal.push(url);
    note(`shell.openExternal(${url})`);
  },
  async openPath(path) {
    note(`shell.openPath(${path})`);
    return '';
  },
  showItemInFolder(path) {
    note(`shell.showItemInFolder(${path})`);
  },
};

export const dialog = {
  showErrorBox(title, content) {
    record.errorBoxes.push({ title, content });
    note('dialog.showErrorBox');
  },
  async showMessageBox(_window, options) {
    record.messageBoxes.push(structuredClone(options ?? _window));
    return { response: 0, checkboxChecked: false };
  },
  async showOpenDialog() {
    return { canceled: true, filePaths: [] };
  },
  async showSaveDialog() {
    return { canceled: true, filePath: '' };
  },
};

function menuItem(item) {
  if (item.type !== 'separator' && !item.label && !item.role && !item.type) {
    throw new Error('Invalid template for MenuItem: must have at least one of label, role or type');
  }
  return {
    label: item.label ?? null,
    role: item.role ?? null,
    type: item.type ?? (item.submenu ? 'submenu' : 'normal'),
    accelerator: item.accelerator ?? null,
    enabled: item.enabled !== false,
    click: typeof item.click === 'function' ? item.click : null,
    submenu: Array.isArray(item.submenu) ? { items: item.submenu.map(menuItem) } : (item.submenu ?? null),
  };
}

export const Menu = {
  buildFromTemplate(template) {
    return { items: template.map(menuItem) };
  },
  setApplicationMenu(menu) {
    const plain = (items) => items.map((i) => ({ label: i.label, role: i.role, type: i.type, accelerator: i.accelerator, enabled: i.enabled, submenu: i.submenu ? plain(i.submenu.items) : null }));
    record.applicationMenu = menu ? plain(menu.items) : null;
    applicationMenu = menu;
    note('Menu.setApplicationMenu');
  },
  getApplicationMenu() {
    return applicationMenu;
  },
};
let applicationMenu = null;

// ---------------------------------------------------------------- safeStorage
// Round-trips within one user-data folder. NOT encryption anyone should rely on: the key is
// derived from the folder's path; Electron uses the OS keychain.
const storageKey = () => createHash('sha256').update(`stand-in:${config.userData}`).digest();
export const safeStorage = {
  isEncryptionAvailable() {
    return isReady;
  },
  encryptString(plainText) {
    if (!isReady) throw new Error('Error while encrypting the text provided to safeStorage.encryptString. Encryption is not available.');
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', storageKey(), iv);
    const body = Buffer.concat([cipher.update(plainText, 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.from('v10'), iv, cipher.getAuthTag(), body]);
  },
  decryptString(encrypted) {
    if (!Buffer.isBuffer(encrypted)) throw new TypeError('Expected the first argument of decryptString() to be a buffer');
    const iv = encrypted.subarray(3, 15);
    const tag = encrypted.subarray(15, 31);
    const decipher = createDecipheriv('aes-256-gcm', storageKey(), iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(encrypted.subarray(31)), decipher.final()]).toString('utf8');
  },
  getSelectedStorageBackend() {
    return 'basic_text';
  },
};

// ---------------------------------------------------------------- renderer/preload-only modules
const notInMain = (name) =>
  new Proxy({}, { get: () => { throw new Error(`${name} is not available in the main process`); } });
export const contextBridge = notInMain('contextBridge');
export const ipcRenderer = notInMain('ipcRenderer');
export const webUtils = notInMain('webUtils');
export const webFrame = notInMain('webFrame');

export default { app, protocol, net, BrowserWindow, ipcMain, session, shell, dialog, Menu, safeStorage, contextBridge, ipcRenderer, webUtils, webFrame };

// ---------------------------------------------------------------- the test's remote control
function report(message) {
  return new Promise((resolve) => {
    if (!process.send || !process.connected) return resolve();
    process.send(message, () => resolve());
  });
}

function frameFor(spec, contents) {
  if (spec === null) return null;
  if (spec.useMainFrame) return contents.mainFrame;
  const parent = spec.child ? contents.mainFrame : null;
  const frame = new WebFrameMain(spec.url, parent);
  if (spec.destroyed) frame.destroyed = true;
  return frame;
}

const commands = {
  state: async () => record,
  async invoke({ channel, args = [], frame = { useMainFrame: true }, windowId = 1 }) {
    const window = windows.find((w) => w.id === windowId);
    const contents = window?.webContents ?? new WebContents({});
    const handler = invokeHandlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    const senderFrame = frameFor(frame, contents);
    const event = { sender: contents, senderFrame, processId: senderFrame?.processId ?? 0, frameId: senderFrame?.routingId ?? 0 };
    // Arguments and the reply cross processes by structured clone, as in Electron.
    return structuredClone(await handler(event, ...structuredClone(args)));
  },
  request: async ({ url, method }) => requestThroughProtocol(url, method),
  async navigate({ url, kind = 'will-navigate', windowId = 1 }) {
    const contents = windows.find((w) => w.id === windowId).webContents;
    const e = new StandInEvent();
    Object.assign(e, { url, isMainFrame: true, frame: contents.mainFrame });
    contents.emit(kind, e, url, false, true, contents.mainFrame.processId, contents.mainFrame.routingId);
    return { prevented: e.defaultPrevented };
  },
  async attachWebview({ windowId = 1 }) {
    const contents = windows.find((w) => w.id === windowId).webContents;
    const e = new StandInEvent();
    contents.emit('will-attach-webview', e, {}, {});
    return { prevented: e.defaultPrevented };
  },
  async windowOpen({ url, windowId = 1 }) {
    const contents = windows.find((w) => w.id === windowId).webContents;
    if (!contents.windowOpenHandler) return { action: 'allow', handler: false };
    const r = contents.windowOpenHandler({ url, frameName: '', features: '', disposition: 'foreground-tab', referrer: { url: '', policy: 'default' } });
    if (!r || (r.action !== 'allow' && r.action !== 'deny')) throw new Error('window open handler returned an invalid value');
    return { action: r.action, handler: true };
  },
  async permission({ permission, windowId = 1 }) {
    const contents = windows.find((w) => w.id === windowId)?.webContents;
    const request = defaultSession.permissionRequest;
    const check = defaultSession.permissionCheck;
    const granted = request ? await new Promise((resolve) => request(contents, permission, resolve, { requestingUrl: contents?.getURL() ?? '' })) : true;
    const checked = check ? check(contents, permission, contents?.getURL() ?? '', {}) : true;
    return { granted, checked };
  },
  async secondInstance() {
    app.emit('second-instance', new StandInEvent(), [process.execPath], process.cwd(), {});
    return { ok: true };
  },
  async minimize({ windowId = 1 }) {
    windows.find((w) => w.id === windowId).minimized = true;
    return { ok: true };
  },
  async closeAllWindows() {
    for (const w of BrowserWindow.getAllWindows()) w.close();
    return { ok: true };
  },
  async quit() {
    app.quit();
    return { ok: true };
  },
};

process.on('message', async (message) => {
  if (!message || typeof message !== 'object' || !('id' in message)) return;
  const command = commands[message.cmd];
  try {
    if (!command) throw new Error(`stand-in: unknown command ${message.cmd}`);
    const result = await command(message.args ?? {});
    await report({ id: message.id, ok: true, result: JSON.parse(JSON.stringify(result ?? null)) });
  } catch (e) {
    await report({ id: message.id, ok: false, error: e instanceof Error ? e.message : String(e) });
  }
});

// `ready` follows the evaluation of the main script, as it does in Electron.
setImmediate(() => {
  isReady = true;
  note('ready');
  app.emit('ready', new StandInEvent(), {});
  report({ ready: true });
  if (pendingExitCode !== null) setTimeout(() => app.exit(pendingExitCode), 50);
});
