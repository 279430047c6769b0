/**
 * The only file that calls `ipcMain`: one handler per contract method, generated from the
 * contract, each checking the sender before handing the params to the services (which validate
 * them), and one event channel forwarding every contract event to the window.
 */
import { ipcMain, type BrowserWindow } from 'electron';
import { methodNames } from '../../shared/contract';
import { EVENT_CHANNEL, methodChannel, type IpcReply } from '../../shared/ipc-bridge';
import { toErrorBody, type Services } from '../services/registry';
import { isTrustedSender } from './security';

export function registerIpc(services: Services, window: BrowserWindow): () => void {
  for (const method of methodNames) {
    ipcMain.handle(methodChannel(method), async (event, params): Promise<IpcReply> => {
      if (!isTrustedSender(event.senderFrame)) {
        return { ok: false, error: { code: 'invalid-input', message: 'untrusted sender' } };
      }
      try {
        return { ok: true, result: await services.callRaw(method, params) };
      } catch (e) {
        return { ok: false, error: toErrorBody(e) };
      }
    });
  }
  const unsubscribe = services.onAny((event, payload) => {
    if (!window.isDestroyed()) window.webContents.send(EVENT_CHANNEL, event, payload);
  });
  return () => {
    unsubscribe();
    for (const method of methodNames) ipcMain.removeHandler(methodChannel(method));
  };
}
