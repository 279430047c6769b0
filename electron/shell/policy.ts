/**
 * The shell's security decisions as plain functions: which frame may call the services, which
 * URL the `app://` handler serves, where a window may navigate, which links leave for the system
 * browser. Nothing here imports `electron`, so unit tests run every decision in Node; the
 * Electron wiring (security.ts, protocol.ts, ipc.ts) only applies them.
 */
import { isAbsolute, join, relative, resolve, sep } from 'node:path';

export const APP_SCHEME = 'app';
export const APP_HOST = 'spica';
/** The URL the window loads. Chromium serialises a standard scheme's origin as scheme://host. */
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/**
 * The parts of Electron's `WebFrameMain` the sender check reads (`frame.url`, `frame.parent`,
 * `frame.isDestroyed()`); a frame that is gone reaches `ipcMain.handle` as `null`.
 */
export interface SenderFrame {
  readonly url: string;
  readonly parent: unknown;
  isDestroyed?(): boolean;
}

/**
 * True when `raw` is a page of the app itself. Protocol and host are compared, as VS Code's
 * `validateEvent` compares the host: `URL.origin` is the opaque `"null"` for a custom scheme in
 * Node (and so in Electron's main process), so comparing origins refuses the app's own window.
 */
export function isAppUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  return url.protocol === `${APP_SCHEME}:` && url.host.toLowerCase() === APP_HOST && url.username === '' && url.password === '';
}

/**
 * Why an IPC call from `frame` is refused, or null when it comes from the app's own top-level
 * frame. Unlike VS Code, an empty or `about:blank` URL is refused too: our window never calls the
 * services before its page has loaded.
 */
export function senderRefusal(frame: SenderFrame | null | undefined): string | null {
  if (!frame) return 'the sending frame is gone';
  if (frame.isDestroyed?.()) return 'the sending frame is destroyed';
  if (!frame.url) return 'the sending frame has no URL';
  if (!isAppUrl(frame.url)) return `the sending frame is not the app (${describeUrl(frame.url)})`;
  if (frame.parent !== null) return 'the sending frame is not a top-level frame';
  return null;
}

/** A URL for a log line: scheme, host and path, never a query string that might carry data. */
function describeUrl(raw: string): string {
  try {
    const url = new URL(raw);
    return `${url.protocol}//${url.host}${url.pathname.length > 80 ? `${url.pathname.slice(0, 80)}…` : url.pathname}`;
  } catch {
    return 'a malformed URL';
  }
}

/** What the `app://` handler does with a request: serve a file, or answer an error status. */
export type AppRequestTarget = { kind: 'file'; path: string } | { kind: 'error'; status: 400 | 403 | 404 | 405; reason: string };

/**
 * Map an `app://spica/...` request to a file of the built renderer. Percent-escapes are decoded
 * once, then the path is resolved and must stay inside `rendererDir`: `..`, encoded dots and
 * slashes, backslashes, NUL bytes and absolute paths never leave it.
 */
export function resolveAppRequest(rendererDir: string, rawUrl: string, method = 'GET'): AppRequestTarget {
  if (method !== 'GET' && method !== 'HEAD') return { kind: 'error', status: 405, reason: `method ${method} is not allowed` };
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return { kind: 'error', status: 400, reason: 'malformed URL' };
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host.toLowerCase() !== APP_HOST) return { kind: 'error', status: 404, reason: `unknown host ${url.host}` };
  let decoded: string;
  try {
    decoded = decodeURIComponent(url.pathname);
  } catch {
    return { kind: 'error', status: 400, reason: 'malformed percent-escape in the path' };
  }
  if (decoded.includes('\0')) return { kind: 'error', status: 400, reason: 'NUL byte in the path' };
  const relativePath = decoded.replace(/^\/+/, '') || 'index.html';
  // Backslashes are separators on Windows: refuse them everywhere rather than differ by OS.
  if (relativePath.includes('\\') || isAbsolute(relativePath) || /^[a-zA-Z]:/.test(relativePath)) {
    return { kind: 'error', status: 403, reason: 'absolute or backslashed path' };
  }
  const root = resolve(rendererDir);
  const file = resolve(join(root, relativePath));
  const inside = relative(root, file);
  if (inside === '' || inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) {
    return { kind: 'error', status: 403, reason: 'path outside the renderer folder' };
  }
  return { kind: 'file', path: file };
}

/** May a window of the app navigate (or be redirected) to `url`? Only within the app. */
export function isNavigationAllowed(url: string): boolean {
  return isAppUrl(url);
}

/**
 * Hosts a link in the app may open in the system browser (`window.open`, target=_blank):
 * the references observers look targets and calibrators up in, and the project's own pages.
 * Anything else is dropped: a compromised page must not be able to launch arbitrary URLs.
 */
export const EXTERNAL_HOSTS: readonly string[] = [
  'simbad.cds.unistra.fr',
  'simbad.u-strasbg.fr',
  'vizier.cds.unistra.fr',
  'cdsportal.u-strasbg.fr',
  'www.jmmc.fr',
  'jmmc.fr',
  'oidb.jmmc.fr',
  'www.chara.gsu.edu',
  'chara.gsu.edu',
  'github.com',
];

/** True when `raw` is an https URL on one of `EXTERNAL_HOSTS` without credentials. */
export function isAllowedExternalUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  return url.protocol === 'https:' && url.username === '' && url.password === '' && url.port === '' && EXTERNAL_HOSTS.includes(url.hostname.toLowerCase());
}

