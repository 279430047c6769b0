/**
 * The sandboxed preload: exposes exactly two functions as `window.spica` (call a contract
 * method, subscribe to contract events). `ipcRenderer` itself never reaches the page, and
 * listeners never see the Electron event object.
 */
import { contextBridge, ipcRenderer } from 'electron';
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
};

contextBridge.exposeInMainWorld('spica', bridge);
