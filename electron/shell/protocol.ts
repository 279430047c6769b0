/**
 * The app:// protocol that serves the built renderer. Every request gets an answer: the file,
 * or 400 (malformed URL or escape), 403 (outside the renderer folder), 404 (no such file),
 * 405 (not GET/HEAD); a failure is logged, never thrown into Chromium. HTML carries the CSP.
 */
import { net, protocol } from 'electron';
import { statSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { CONTENT_SECURITY_POLICY } from '../../shared/security';
import type { ShellLog } from './log';
import { APP_SCHEME, resolveAppRequest } from './policy';

/** Must run before `app.ready`. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/** A regular file? (try/catch rather than `throwIfNoEntry`, which asar paths may not honour). */
function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function plain(status: number, text: string): Response {
  return new Response(text, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });
}

export function handleAppProtocol(rendererDir: string, log: ShellLog): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const target = resolveAppRequest(rendererDir, request.url, request.method);
    if (target.kind === 'error') {
      log.warn(`app:// ${target.status} for ${request.url}: ${target.reason}`);
      return plain(target.status, target.reason);
    }
    if (!isFile(target.path)) return plain(404, 'not found');
    try {
      const response = await net.fetch(pathToFileURL(target.path).toString());
      if (!target.path.endsWith('.html')) return response;
      const headers = new Headers(response.headers);
      headers.set('content-security-policy', CONTENT_SECURITY_POLICY);
      return new Response(response.body, { status: response.status, headers });
    } catch (e) {
      log.error(`app:// could not read ${target.path}`, e);
      return plain(500, 'could not read the file');
    }
  });
}
