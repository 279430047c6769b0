/// <reference types="vite/client" />
import type { IpcBridge } from '../../shared/ipc-bridge';

declare global {
  interface Window {
    /** Present only in the Electron window (exposed by the sandboxed preload). */
    spica?: IpcBridge;
  }
}
