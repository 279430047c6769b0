/**
 * The application menu. Only "Import survey file…" needs the main process (a native dialog that
 * yields a path); everything else in the app is reachable from the window and its shortcuts.
 */
import { app, dialog, Menu, type BrowserWindow } from 'electron';
import type { Services } from '../services/registry';

export function installMenu(window: BrowserWindow, services: Services): void {
  const importFile = async (): Promise<void> => {
    const choice = await dialog.showOpenDialog(window, {
      title: 'Import into the survey',
      properties: ['openFile'],
      filters: [
        { name: 'Survey tables', extensions: ['vot', 'xml', 'votable', 'csv'] },
        { name: 'All files', extensions: ['*'] },
      ],
    });
    const path = choice.filePaths[0];
    if (choice.canceled || !path) return;
    try {
      await services.call('survey.import', { fileName: path, path });
    } catch (e) {
      await dialog.showMessageBox(window, {
        type: 'error',
        message: 'Import refused — the survey is unchanged',
        detail: e instanceof Error ? e.message : String(e),
      });
    }
  };
  const template: Electron.MenuItemConstructorOptions[] = [
    {
      label: 'File',
      submenu: [
        { label: 'Import survey file…', accelerator: 'CmdOrCtrl+O', click: () => void importFile() },
        { type: 'separator' },
        { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    { label: 'View', submenu: [{ role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }] },
    { role: 'windowMenu' },
    { role: 'help', submenu: [{ label: `SPICA Companion ${app.getVersion()}`, enabled: false }] },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
