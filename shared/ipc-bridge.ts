/**
 * What the sandboxed preload exposes to the renderer as `window.spica`: two functions, never
 * `ipcRenderer` itself. Channel names are derived from the contract's method and event names.
 */
import type { ApiErrorBody } from './contract/define';

/** IPC channel of a contract method. */
export const methodChannel = (method: string): string => `spica:call:${method}`;
/** IPC channel of the event stream (one channel carries every contract event). */
export const EVENT_CHANNEL = 'spica:event';

/** The reply of an IPC call: Electron keeps only `message` of a thrown error, so errors travel as values. */
export type IpcReply = { ok: true; result: unknown } | { ok: false; error: ApiErrorBody };

export interface IpcBridge {
  call(method: string, params: unknown): Promise<IpcReply>;
  /** Subscribe to every contract event; returns the unsubscribe function. */
  onEvent(listener: (event: string, payload: unknown) => void): () => void;
  /**
   * The local path of a File the user dropped or picked (Electron only; '' when it has none), so
   * a dropped file can be written back to, not just viewed.
   */
  pathForFile(file: object): string;
}
