/**
 * Hardening applied to every web contents: no navigation away from the app, no new windows
 * (https links go to the system browser after a URL check), no webviews, no permissions.
 */
import { app, session, shell } from 'electron';
import { APP_ORIGIN } from './protocol';

function isAppUrl(raw: string): boolean {
  try {
    return new URL(raw).origin === APP_ORIGIN;
  } catch {
    return false;
  }
}

export function hardenWebContents(): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (e, url) => {
      if (!isAppUrl(url)) e.preventDefault();
    });
    contents.on('will-redirect', (e, url) => {
      if (!isAppUrl(url)) e.preventDefault();
    });
    contents.on('will-attach-webview', (e) => e.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      try {
        if (new URL(url).protocol === 'https:') void shell.openExternal(url);
      } catch {
        // A malformed URL is simply not opened.
      }
      return { action: 'deny' };
    });
  });
}

export function denyAllPermissions(): void {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
}

/** Only the app's own top-level frame may call the services. */
export function isTrustedSender(frame: Electron.WebFrameMain | null): boolean {
  return frame !== null && frame.parent === null && isAppUrl(frame.url);
}
