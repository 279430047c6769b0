/**
 * Runs a built main bundle (out/main/main.js) in its own Node process with the `electron`
 * stand-in (electron-stand-in/electron.mjs) in place of Electron, and drives it: every call
 * goes over the forked process's IPC channel to the stand-in, which calls what the shell
 * registered (IPC handlers, the app:// handler, web-contents hooks) with real arguments.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');
const REGISTER = pathToFileURL(join(import.meta.dirname, 'electron-stand-in', 'register.mjs')).href;

export interface StandInConfig {
  /** What `app.getAppPath()` returns: the checkout, or `<resources>/app.asar` when packaged. */
  appPath: string;
  userData: string;
  isPackaged?: boolean;
  resourcesPath?: string;
  /** What `app.requestSingleInstanceLock()` returns (default true). */
  singleInstanceLock?: boolean;
}

export interface Recorded {
  timeline: Array<{ what: string; afterReady: boolean }>;
  privilegedSchemes: Array<{ scheme: string; privileges: Record<string, boolean> }>;
  protocolHandlers: string[];
  ipcHandlers: string[];
  windows: Array<{
    id: number;
    options: { show?: boolean; webPreferences: Record<string, unknown> } & Record<string, unknown>;
    loadedUrl: string | null;
    resources: Array<{ url: string; status: number; error: string | null; csp: string | null }>;
    shown: boolean;
    focused: number;
    restored: number;
  }>;
  applicationMenu: Array<{ label: string | null; role: string | null; submenu: unknown }> | null;
  permissionRequestHandler: boolean;
  permissionCheckHandler: boolean;
  openedExternal: string[];
  errorBoxes: Array<{ title: string; content: string }>;
  sent: Array<{ channel: string; args: unknown[] }>;
  sandboxEnabled: boolean;
  singleInstanceLockRequested: boolean;
  quitRequested: number;
  exitCode: number | null;
}

/** A frame to send an IPC call from: the window's own main frame, or a made-up one. */
export type FrameSpec = { useMainFrame: true } | { url: string; child?: boolean; destroyed?: boolean } | null;

export interface ShellProcess {
  readonly child: ChildProcess;
  /** Resolves once the stand-in has emitted `ready`. */
  readonly ready: Promise<void>;
  /** Resolves with the exit code once the process has ended. */
  readonly exited: Promise<number | null>;
  /** What the stand-in had recorded when the shell called `app.exit` (null before that). */
  finalRecord(): Recorded | null;
  stdout(): string;
  stderr(): string;
  command<T = unknown>(cmd: string, args?: Record<string, unknown>): Promise<T>;
  state(): Promise<Recorded>;
  invoke(channel: string, params: unknown, frame?: FrameSpec): Promise<{ ok: boolean; result?: unknown; error?: { code: string; message: string } }>;
  /** Ends the process if it is still running (SIGKILL: nothing of ours to flush). */
  kill(): void;
}

export function launchShell(mainJs: string, config: StandInConfig, argv: string[] = [], env: NodeJS.ProcessEnv = {}): ShellProcess {
  // The data folder is the stand-in's userData unless a test names one.
  const childEnv: NodeJS.ProcessEnv = { ...process.env, SPICA_STRICT_JSON: '1', SPICA_SAMP: 'off', ...env, ELECTRON_STAND_IN: JSON.stringify(config) };
  if (!('SPICA_COMPANION_DATA_DIR' in env)) delete childEnv.SPICA_COMPANION_DATA_DIR;
  const child = fork(mainJs, argv, {
    cwd: dirname(mainJs),
    execArgv: ['--import', REGISTER],
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  let nextId = 1;
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((r) => (markReady = r));
  let final: Recorded | null = null;
  child.on('message', (m: { id?: number; ok?: boolean; result?: unknown; error?: string; ready?: boolean; record?: Recorded }) => {
    if (m.ready) markReady();
    if (m.record) final = m.record;
    if (m.id === undefined) return;
    const p = pending.get(m.id);
    pending.delete(m.id);
    if (m.ok) p?.resolve(m.result);
    else p?.reject(new Error(m.error));
  });
  const exited = new Promise<number | null>((r) =>
    child.on('exit', (code) => {
      for (const p of pending.values()) p.reject(new Error(`the shell process exited (${code}) before answering; stderr:\n${err}`));
      pending.clear();
      r(code);
    }),
  );
  const command = <T>(cmd: string, args: Record<string, unknown> = {}): Promise<T> =>
    new Promise<T>((resolveCommand, reject) => {
      if (!child.connected) return reject(new Error(`the shell process is not running; stderr:\n${err}`));
      const id = nextId++;
      pending.set(id, { resolve: resolveCommand as (v: unknown) => void, reject });
      child.send({ id, cmd, args });
    });
  return {
    child,
    ready,
    exited,
    finalRecord: () => final,
    stdout: () => out,
    stderr: () => err,
    command,
    state: () => command<Recorded>('state'),
    invoke: (channel, params, frame = { useMainFrame: true }) => command('invoke', { channel, args: [params], frame }),
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

/** Poll `state()` until `test` holds (start-up work runs after the page has loaded). */
export async function waitForState(shell: ShellProcess, test: (s: Recorded) => boolean, what: string, timeoutMs = 60_000): Promise<Recorded> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const s = await shell.state();
    if (test(s)) return s;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; stderr:\n${shell.stderr()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
