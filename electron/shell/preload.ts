/**
 * The sandboxed preload: exposes exactly three functions as `window.spica` (call a contract
 * method, subscribe to contract events, get a dropped file's path). `ipcRenderer` itself never reaches the page, and
 * listeners never see the Electron event object.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { EVENT_CHANNEL, methodChannel, type IpcBridge, type IpcReply } from '../../shared/ipc-bridge';

const bridge: IpcBridge = {
  call: (method, params) => ipcRenderer.invoke(methodChannel(String(method)), params) as Promise<IpcReply>,
  onEvent(listener) {
    const l = (_e: unknown, event: string, payload: unknown) => listener(event, payload);
    ipcRenderer.on(EVENT_CHANNEL, l);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, l);
    };
  },
  pathForFile: (file) => webUtils.getPathForFile(file as File),
};

contextBridge.exposeInMainWorld('spica', bridge);
