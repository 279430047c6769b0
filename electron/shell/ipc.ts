/**
 * The only file that calls `ipcMain`: one handler per contract method, generated from the
 * contract, each checking the sender before handing the params to the services (which validate
 * them), and one event channel forwarding every contract event to the window. A refused sender
 * gets the `forbidden` code and a log line naming channel and reason; an internal error is
 * logged with its stack, and the page gets its message only.
 */
import { ipcMain, type BrowserWindow } from 'electron';
import { methodNames } from '../../shared/contract';
import { EVENT_CHANNEL, methodChannel, type IpcReply } from '../../shared/ipc-bridge';
import { toErrorBody, type Services } from '../services/registry';
import type { ShellLog } from './log';
import { senderRefusal } from './policy';

export function registerIpc(services: Services, window: BrowserWindow, log: ShellLog): () => void {
  for (const method of methodNames) {
    const channel = methodChannel(method);
    ipcMain.handle(channel, async (event, params): Promise<IpcReply> => {
      const refusal = senderRefusal(event.senderFrame);
      if (refusal) {
        log.warn(`refused IPC call on channel ${channel}: ${refusal}`);
        return { ok: false, error: { code: 'forbidden', message: `refused: ${refusal}` } };
      }
      try {
        return { ok: true, result: await services.callRaw(method, params) };
      } catch (e) {
        const body = toErrorBody(e);
        if (body.code === 'internal') log.error(`IPC call ${method} failed`, e);
        return { ok: false, error: body };
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
