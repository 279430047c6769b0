/**
 * The shell's security decisions (electron/shell/policy.ts), run in Node: the IPC sender check
 * against the frame URLs Electron reports, app:// path resolution, navigation and external links.
 * The same decisions wired into the built main bundle are exercised by test/shell/.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { APP_ORIGIN, isAllowedExternalUrl, isAppUrl, isNavigationAllowed, resolveAppRequest, senderRefusal } from '../../../electron/shell/policy';
import { CONTENT_SECURITY_POLICY } from '../../../shared/security';

const top = (url: string) => ({ url, parent: null, isDestroyed: () => false });

describe('IPC sender check', () => {
  it('is needed because a custom scheme has an opaque origin in Node (the old check refused the app)', () => {
    expect(new URL('app://spica/').origin).toBe('null');
    expect(new URL('app://spica/').origin === APP_ORIGIN).toBe(false);
  });

  it("accepts the app's top-level frame at the URLs Electron reports for it", () => {
    // loadURL('app://spica/'), an in-page hash route, the explicit page and a query string.
    for (const url of ['app://spica/', 'app://spica/#/survey', 'app://spica/index.html', 'app://spica/?screen=tonight']) {
      expect(senderRefusal(top(url)), url).toBeNull();
    }
  });

  it('refuses child frames, other origins, credentials, ports, blank and destroyed frames', () => {
    const app = top('app://spica/');
    expect(senderRefusal({ url: 'app://spica/index.html', parent: app })).toMatch(/not a top-level frame/);
    for (const url of ['https://spica/', 'app://evil/', 'app://spica.evil.example/', 'app://spica:8080/', 'app://user@spica/', 'app://spica@evil/', 'file:///app/index.html', 'about:blank', 'data:text/html,x', 'blob:app://spica/1234', 'devtools://devtools/bundled/inspector.html', 'not a url']) {
      expect(senderRefusal(top(url)), url).toMatch(/not the app/);
    }
    expect(senderRefusal(top(''))).toMatch(/no URL/);
    expect(senderRefusal({ url: 'app://spica/', parent: null, isDestroyed: () => true })).toMatch(/destroyed/);
    expect(senderRefusal(null)).toMatch(/gone/);
    expect(senderRefusal(undefined)).toMatch(/gone/);
  });

  it('never puts a query string in the refusal (it is logged)', () => {
    expect(senderRefusal(top('https://evil.example/x?token=secret'))).not.toContain('secret');
  });
});

describe('app:// path resolution', () => {
  const root = mkdtempSync(join(tmpdir(), 'spica-renderer-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const file = (url: string) => resolveAppRequest(root, url);

  it('maps the app and its assets into the renderer folder', () => {
    expect(file('app://spica/')).toEqual({ kind: 'file', path: join(root, 'index.html') });
    expect(file('app://spica/assets/index-1.js')).toEqual({ kind: 'file', path: join(root, 'assets', 'index-1.js') });
    expect(file('app://spica/assets/a%20b.css')).toEqual({ kind: 'file', path: join(root, 'assets', 'a b.css') });
    expect(file('app://SPICA/index.html')).toEqual({ kind: 'file', path: join(root, 'index.html') });
  });

  it('never leaves the renderer folder: traversal, encoded dots and slashes, backslashes, absolute paths', () => {
    for (const url of ['app://spica/..%2fpackage.json', 'app://spica/%2e%2e%2fpackage.json', 'app://spica/assets/..%2f..%2f..%2fetc%2fpasswd', 'app://spica/..%5cpackage.json', 'app://spica/C:%5cWindows%5cwin.ini', 'app://spica/c:/Windows/win.ini']) {
      expect(file(url), url).toMatchObject({ kind: 'error', status: 403 });
    }
    // The URL parser itself removes plain and %2e dot segments before we see the path.
    expect(file('app://spica/../../etc/passwd')).toEqual({ kind: 'file', path: join(root, 'etc', 'passwd') });
    expect(file('app://spica/%2e%2e/%2e%2e/etc/passwd')).toEqual({ kind: 'file', path: join(root, 'etc', 'passwd') });
    // An absolute path in the URL stays relative to the renderer folder.
    expect(file('app://spica//etc/passwd')).toEqual({ kind: 'file', path: join(root, 'etc', 'passwd') });
    expect(file('app://spica/%2Fetc%2Fpasswd')).toEqual({ kind: 'file', path: join(root, 'etc', 'passwd') });
    // Decoded once: a double-encoded dot is a file name, not a parent folder.
    expect(file('app://spica/%252e%252e%252fpackage.json')).toEqual({ kind: 'file', path: join(root, '%2e%2e%2fpackage.json') });
  });

  it('answers 400 for a malformed escape or a NUL byte, 404 for another host, 405 for other methods', () => {
    expect(file('app://spica/%E0%A4%A')).toMatchObject({ kind: 'error', status: 400 });
    expect(file('app://spica/%')).toMatchObject({ kind: 'error', status: 400 });
    expect(file('app://spica/a%00.js')).toMatchObject({ kind: 'error', status: 400 });
    expect(file('app://evil/index.html')).toMatchObject({ kind: 'error', status: 404 });
    expect(file('not a url')).toMatchObject({ kind: 'error', status: 400 });
    expect(resolveAppRequest(root, 'app://spica/', 'POST')).toMatchObject({ kind: 'error', status: 405 });
    expect(resolveAppRequest(root, 'app://spica/', 'HEAD')).toMatchObject({ kind: 'file' });
  });
});

describe('navigation and external links', () => {
  it('allows navigation only inside the app', () => {
    expect(isNavigationAllowed('app://spica/#/tonight')).toBe(true);
    for (const url of ['https://example.org/', 'file:///etc/passwd', 'app://evil/', 'javascript:alert(1)', 'about:blank']) expect(isNavigationAllowed(url), url).toBe(false);
    expect(isAppUrl('app://spica/')).toBe(true);
  });

  it('opens only https links to the allow-listed hosts, without credentials or ports', () => {
    expect(isAllowedExternalUrl('https://simbad.cds.unistra.fr/simbad/sim-id?Ident=HD%20166')).toBe(true);
    expect(isAllowedExternalUrl('https://www.jmmc.fr/searchcal')).toBe(true);
    expect(isAllowedExternalUrl('https://SIMBAD.cds.unistra.fr/')).toBe(true);
    for (const url of ['http://simbad.cds.unistra.fr/', 'https://evil.example/', 'https://simbad.cds.unistra.fr.evil.example/', 'https://user:pw@simbad.cds.unistra.fr/', 'https://simbad.cds.unistra.fr:8443/', 'javascript:alert(1)', 'file:///etc/passwd', 'smb://host/share', 'not a url']) {
      expect(isAllowedExternalUrl(url), url).toBe(false);
    }
  });
});

describe('content security policy', () => {
  it('allows scripts and connections only from the app itself', () => {
    const directives = Object.fromEntries(CONTENT_SECURITY_POLICY.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
    expect(directives['default-src']).toEqual(["'self'"]);
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(directives['connect-src']).toEqual(["'self'"]);
    expect(directives['object-src']).toEqual(["'none'"]);
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
    expect(directives['base-uri']).toEqual(["'none'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|\*/);
  });
});
