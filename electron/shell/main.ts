/**
 * Electron entry: lifecycle only. Three ways in:
 * - `--cli …`: the `companion` CLI inside the app's own runtime (a packaged app has no Node and
 *   its RunAsNode fuse is off), then exit;
 * - a second instance: it hands its focus request to the first (`second-instance`) and quits
 *   before doing any start-up work;
 * - the app: sandbox everywhere, the app:// protocol, hardened web contents, the services over
 *   IPC, and a window within a second; first-start work runs after the page has loaded and is
 *   shown in it. A start-up failure is logged to `logs/main.log` and shown in a dialog.
 */
import { app, BrowserWindow, dialog, safeStorage } from 'electron';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { electronSqliteBinding, electronSqliteBuildDir, SQLITE_BINDING_ENV } from '../db/native-binding';
import { ensureFirstRunDemo } from '../services/first-run';
import { createServices, type Services } from '../services/registry';
import { keychainOrFileSecretStore } from '../services/sync/secrets';
import { registerIpc } from './ipc';
import { openShellLog } from './log';
import { installMenu } from './menu';
import { handleAppProtocol, registerAppScheme } from './protocol';
import { denyAllPermissions, hardenWebContents } from './security';
import { createMainWindow } from './window';

const appRoot = app.getAppPath();

async function runCli(args: string[]): Promise<void> {
  app.dock?.hide();
  let code = 1;
  try {
    // The CLI bundle (out/cli, built by esbuild) is loaded by path so the main bundle stays free
    // of it; it is node code, which electron-main may load.
    // eslint-disable-next-line layering/runtime
    const cli = (await import(pathToFileURL(join(appRoot, 'out', 'cli', 'main.mjs')).href)) as { main(argv: string[]): Promise<number> };
    code = await cli.main(args);
  } catch (e) {
    process.stderr.write(`companion: ${e instanceof Error ? e.message : String(e)}\n`);
  }
  app.exit(code);
}

/** In a checkout, load the better-sqlite3 copy `companion start` rebuilt for this Electron. */
function useElectronSqliteBuild(): void {
  if (app.isPackaged || process.env[SQLITE_BINDING_ENV]) return;
  const binding = electronSqliteBinding(electronSqliteBuildDir(appRoot, process.versions.electron ?? 'unknown'));
  if (existsSync(binding)) process.env[SQLITE_BINDING_ENV] = binding;
}

/** A start-up error in words a user can act on. */
function explainStartError(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  if (/NODE_MODULE_VERSION/.test(message)) {
    return `The SQLite module is built for another runtime than this Electron.\n${message}\n\nFrom a checkout, start the app with "npm start": it rebuilds the module for Electron.`;
  }
  return message;
}

function startApp(): void {
  const dataDir = process.env.SPICA_COMPANION_DATA_DIR || app.getPath('userData');
  const log = openShellLog(dataDir);
  let services: Services | null = null;

  app.enableSandbox();
  registerAppScheme();
  hardenWebContents(log);

  app.on('second-instance', () => {
    const [window] = BrowserWindow.getAllWindows();
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });

  const start = (): void => {
    useElectronSqliteBuild();
    denyAllPermissions(log);
    handleAppProtocol(join(appRoot, 'out', 'renderer'), log);
    services = createServices({
      paths: { dataDir, resourcesDir: join(appRoot, 'resources'), migrationsDir: join(appRoot, 'electron', 'db', 'migrations') },
      transport: 'electron',
      // The JMMC password is encrypted by the system keychain (safeStorage), in the main process only.
      secrets: keychainOrFileSecretStore(dataDir, safeStorage),
    });
    const ready = services;
    const window = createMainWindow({ preloadPath: join(appRoot, 'out', 'preload', 'preload.cjs'), devTools: !app.isPackaged });
    registerIpc(ready, window, log);
    installMenu(window, ready);
    window.webContents.on('did-fail-load', (_e, code, description, url) => log.error(`the window could not load ${url}: ${description} (${code})`));
    window.webContents.once('did-finish-load', () => {
      ensureFirstRunDemo(ready).catch((e) => log.error('first-start work failed', e));
    });
    log.info(`started ${app.getVersion()} (data: ${dataDir}${app.isPackaged ? '' : `, checkout: ${appRoot}`})`);
  };

  app
    .whenReady()
    .then(start)
    .catch((e: unknown) => {
      log.error('start-up failed', e);
      dialog.showErrorBox('SPICA Companion could not start', `${explainStartError(e)}${log.file ? `\n\nDetails: ${log.file}` : ''}`);
      app.exit(1);
    });

  app.on('window-all-closed', () => app.quit());

  app.on('will-quit', (event) => {
    if (!services) return;
    const closing = services;
    services = null;
    event.preventDefault();
    void closing
      .close()
      .catch((e: unknown) => log.error('closing the services failed', e))
      .finally(() => app.quit());
  });
}

const cliAt = process.argv.indexOf('--cli');
if (cliAt !== -1) void runCli(process.argv.slice(cliAt + 1));
else if (!app.requestSingleInstanceLock()) app.quit();
else startApp();
