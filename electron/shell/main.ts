/**
 * Electron entry: lifecycle only. Sandbox everywhere, single instance, app:// protocol, hardened
 * web contents, then the same services as browser mode and the CLI, reached over IPC.
 */
import { app, BrowserWindow, safeStorage } from 'electron';
import { join } from 'node:path';
import { ensureFirstRunDemo } from '../services/first-run';
import { createServices, type Services } from '../services/registry';
import { keychainOrFileSecretStore } from '../services/sync/secrets';
import { registerIpc } from './ipc';
import { installMenu } from './menu';
import { handleAppProtocol, registerAppScheme } from './protocol';
import { denyAllPermissions, hardenWebContents } from './security';
import { createMainWindow } from './window';

app.enableSandbox();
registerAppScheme();
hardenWebContents();

if (!app.requestSingleInstanceLock()) app.quit();

const appRoot = app.getAppPath();
let services: Services | null = null;

app.on('second-instance', () => {
  const [window] = BrowserWindow.getAllWindows();
  if (window) {
    if (window.isMinimized()) window.restore();
    window.focus();
  }
});

app.whenReady().then(async () => {
  denyAllPermissions();
  handleAppProtocol(join(appRoot, 'out', 'renderer'));
  const dataDir = process.env.SPICA_COMPANION_DATA_DIR ?? app.getPath('userData');
  services = createServices({
    // The JMMC password is encrypted by the system keychain (safeStorage), in the main process only.
    secrets: keychainOrFileSecretStore(dataDir, safeStorage),
    paths: {
      dataDir,
      resourcesDir: join(appRoot, 'resources'),
      migrationsDir: join(appRoot, 'electron', 'db', 'migrations'),
    },
    transport: 'electron',
  });
  await ensureFirstRunDemo(services);
  const window = createMainWindow(join(appRoot, 'out', 'preload', 'preload.cjs'));
  registerIpc(services, window);
  installMenu(window, services);
});

app.on('window-all-closed', () => app.quit());

app.on('will-quit', (event) => {
  if (!services) return;
  const closing = services;
  services = null;
  event.preventDefault();
  void closing.close().finally(() => app.quit());
});
