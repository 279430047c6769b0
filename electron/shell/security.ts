/**
 * Hardening applied to every web contents (Electron's security checklist): no navigation away
 * from the app, no new windows (links on the allow-list go to the system browser), no webviews,
 * no permissions. The decisions themselves are the plain functions of policy.ts.
 */
import { app, session, shell } from 'electron';
import type { ShellLog } from './log';
import { isAllowedExternalUrl, isNavigationAllowed } from './policy';

export function hardenWebContents(log: ShellLog): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (e, url) => {
      if (isNavigationAllowed(url)) return;
      e.preventDefault();
      log.warn(`navigation to ${url} blocked`);
    });
    contents.on('will-redirect', (e, url) => {
      if (isNavigationAllowed(url)) return;
      e.preventDefault();
      log.warn(`redirect to ${url} blocked`);
    });
    contents.on('will-attach-webview', (e) => {
      e.preventDefault();
      log.warn('webview blocked');
    });
    contents.setWindowOpenHandler(({ url }) => {
      if (isAllowedExternalUrl(url)) void shell.openExternal(url);
      else log.warn(`window.open of ${url} blocked (not on the external allow-list)`);
      return { action: 'deny' };
    });
  });
}

/** Refuse every permission request and check (camera, notifications, geolocation, …). */
export function denyAllPermissions(log: ShellLog): void {
  session.defaultSession.setPermissionRequestHandler((_contents, permission, callback) => {
    log.warn(`permission ${permission} refused`);
    callback(false);
  });
  session.defaultSession.setPermissionCheckHandler(() => false);
}
