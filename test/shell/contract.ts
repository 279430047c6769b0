/**
 * The shell contract, run against a built main bundle under the `electron` stand-in (not
 * Electron: see electron-stand-in/electron.mjs). One shell process per suite: it starts on an
 * empty data folder, loads the renderer through app://, generates the first-start demo survey,
 * and is then driven through what it registered (IPC handlers, app:// handler, web-contents
 * hooks, permission handlers) into the real services and the real SQLite file.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { methodNames } from '../../shared/contract';
import { EVENT_CHANNEL, methodChannel } from '../../shared/ipc-bridge';
import { CONTENT_SECURITY_POLICY } from '../../shared/security';
import { launchShell, waitForState, type FrameSpec, type Recorded, type ShellProcess } from './harness';

export interface ContractTarget {
  /** The main bundle to run (out/main/main.js of a checkout or of a packaged layout). */
  mainJs: string;
  /** `app.getAppPath()`: the checkout, or `<resources>/app.asar`. */
  appPath: string;
  isPackaged: boolean;
  resourcesPath?: string;
}

/** Frames other than the app's own top-level frame: each must be refused. */
export const FOREIGN_FRAMES: Array<[string, FrameSpec]> = [
  ['a child frame of the app', { url: 'app://spica/index.html', child: true }],
  ['a web page', { url: 'https://evil.example/' }],
  ['a page on a host named like the app', { url: 'https://spica/' }],
  ['another app:// host', { url: 'app://evil/' }],
  ['an app:// URL with credentials', { url: 'app://user@spica/' }],
  ['a file:// page', { url: 'file:///tmp/index.html' }],
  ['about:blank', { url: 'about:blank' }],
  ['a frame with no URL yet', { url: '' }],
  ['a destroyed frame', { url: 'app://spica/', destroyed: true }],
  ['a frame that is gone (null)', null],
];

function sentEvents(s: Recorded, name: string): Array<Record<string, unknown>> {
  return s.sent.filter((x) => x.channel === EVENT_CHANNEL && x.args[0] === name).map((x) => x.args[1] as Record<string, unknown>);
}

const indexOf = (s: Recorded, test: (what: string) => boolean): number => s.timeline.findIndex((t) => test(t.what));

export function shellContractSuite(title: string, target: () => ContractTarget, extra?: (ctx: { shell: () => ShellProcess; userData: () => string }) => void): void {
  describe(title, () => {
    let shell: ShellProcess;
    let userData: string;
    let t: ContractTarget;

    beforeAll(async () => {
      t = target();
      userData = mkdtempSync(join(tmpdir(), 'spica-shell-'));
      shell = launchShell(t.mainJs, { appPath: t.appPath, userData, isPackaged: t.isPackaged, resourcesPath: t.resourcesPath });
      await shell.ready;
      await waitForState(shell, (s) => s.windows[0]?.resources.length > 1, 'the window to load the renderer');
    });
    afterAll(async () => {
      shell?.kill();
      rmSync(userData, { recursive: true, force: true });
    });

    it('registers app:// as a privileged standard scheme before ready and handles it after ready', async () => {
      const s = await shell.state();
      expect(s.privilegedSchemes).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
      expect(s.timeline.find((x) => x.what === 'protocol.registerSchemesAsPrivileged')?.afterReady).toBe(false);
      expect(s.protocolHandlers).toEqual(['app']);
      expect(s.sandboxEnabled).toBe(true);
    });

    it('opens one window with the webPreferences of the security checklist', async () => {
      const [w] = (await shell.state()).windows;
      expect(w.options.webPreferences).toMatchObject({
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        webviewTag: false,
        devTools: !t.isPackaged,
      });
      const preload = w.options.webPreferences.preload as string;
      expect(relative(t.appPath, preload)).toBe(join('out', 'preload', 'preload.cjs'));
      expect(existsSync(preload)).toBe(true);
      expect(w.options.show).toBe(false);
      expect(w.shown).toBe(true);
      expect(w.loadedUrl).toBe('app://spica/');
    });

    it('serves the built renderer over app:// with the CSP header; every script and style loads', async () => {
      const [w] = (await shell.state()).windows;
      expect(w.resources[0]).toMatchObject({ url: 'app://spica/', status: 200, csp: CONTENT_SECURITY_POLICY });
      expect(w.resources.length).toBeGreaterThan(2);
      for (const r of w.resources) expect(r, r.url).toMatchObject({ status: 200 });
    });

    it('registers one IPC handler per contract method, and no other', async () => {
      const s = await shell.state();
      expect([...s.ipcHandlers].sort()).toEqual(methodNames.map(methodChannel).sort());
    });

    it("answers calls from the app's own frame through the real services", async () => {
      const info = await shell.invoke(methodChannel('app.info'), {});
      expect(info).toMatchObject({ ok: true, result: { transport: 'electron', dataDir: userData } });
      const invalid = await shell.invoke(methodChannel('survey.list'), { filter: { decMinDeg: 'north' } });
      expect(invalid).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    });

    it('refuses every other frame with the forbidden code, and logs channel and reason', async () => {
      for (const [what, frame] of FOREIGN_FRAMES) {
        const reply = await shell.invoke(methodChannel('app.info'), {}, frame);
        expect(reply, what).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      }
      const log = readFileSync(join(userData, 'logs', 'main.log'), 'utf8');
      const refusals = log.split('\n').filter((l) => l.includes('refused IPC call on channel spica:call:app.info'));
      expect(refusals).toHaveLength(FOREIGN_FRAMES.length);
      expect(log).toContain('the sending frame is not a top-level frame');
      expect(log).toContain('the sending frame is not the app (https://evil.example/)');
    });

    it('shows first-start work in the window: the window loads first, then the demo survey is generated', async () => {
      const s = await waitForState(shell, (r) => sentEvents(r, 'app.startupChanged').some((e) => e.state === 'done'), 'the first-start work', 120_000);
      const loaded = indexOf(s, (w) => w.startsWith('BrowserWindow.loadURL'));
      const shown = indexOf(s, (w) => w.startsWith('BrowserWindow.show'));
      const running = indexOf(s, (w) => w === `webContents.send(${EVENT_CHANNEL}, app.startupChanged)`);
      expect(loaded).toBeGreaterThan(-1);
      expect(shown).toBeGreaterThan(loaded);
      expect(running).toBeGreaterThan(shown);
      expect(sentEvents(s, 'app.startupChanged').map((e) => e.state)).toEqual(['running', 'done']);
      expect(await shell.invoke(methodChannel('app.startup'), {})).toMatchObject({ ok: true, result: { state: 'done' } });
      expect(await shell.invoke(methodChannel('survey.list'), { limit: 1 })).toMatchObject({ ok: true, result: { total: 3000 } });
      expect(sentEvents(s, 'survey.changed').length).toBeGreaterThan(0);
    });

    it('answers app:// requests with a status, never a thrown error', async () => {
      const cases: Array<[string, string, number]> = [
        ['app://spica/index.html', 'GET', 200],
        ['app://spica/no-such-file.js', 'GET', 404],
        ['app://spica/assets', 'GET', 404],
        ['app://spica/%E0%A4%A', 'GET', 400],
        ['app://spica/a%00b', 'GET', 400],
        ['app://spica/..%2f..%2fpackage.json', 'GET', 403],
        ['app://spica/%2e%2e%2fpackage.json', 'GET', 403],
        ['app://spica/%2Fetc%2Fpasswd', 'GET', 404],
        ['app://spica/..%5c..%5cpackage.json', 'GET', 403],
        ['app://evil/index.html', 'GET', 404],
        ['app://spica/index.html', 'POST', 405],
      ];
      for (const [url, method, status] of cases) {
        const r = await shell.command<{ status: number; error?: string }>('request', { url, method });
        expect(r.status, `${method} ${url}: ${r.error ?? ''}`).toBe(status);
      }
    });

    it('keeps navigation in the app, blocks webviews, and opens only allow-listed https links outside', async () => {
      expect(await shell.command('navigate', { url: 'https://evil.example/' })).toEqual({ prevented: true });
      expect(await shell.command('navigate', { url: 'file:///etc/passwd' })).toEqual({ prevented: true });
      expect(await shell.command('navigate', { url: 'app://spica/#/survey' })).toEqual({ prevented: false });
      expect(await shell.command('navigate', { url: 'https://evil.example/', kind: 'will-redirect' })).toEqual({ prevented: true });
      expect(await shell.command('attachWebview', {})).toEqual({ prevented: true });
      const links = ['https://simbad.cds.unistra.fr/simbad/sim-id?Ident=HD1', 'https://evil.example/', 'http://simbad.cds.unistra.fr/', 'https://user@simbad.cds.unistra.fr/', 'javascript:alert(1)', 'file:///etc/passwd'];
      for (const url of links) expect(await shell.command('windowOpen', { url }), url).toEqual({ action: 'deny', handler: true });
      expect((await shell.state()).openedExternal).toEqual(['https://simbad.cds.unistra.fr/simbad/sim-id?Ident=HD1']);
    });

    it('grants no permission', async () => {
      for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
        expect(await shell.command('permission', { permission }), permission).toEqual({ granted: false, checked: false });
      }
    });

    it('brings the existing window forward when a second instance starts', async () => {
      await shell.command('minimize', {});
      await shell.command('secondInstance', {});
      const [w] = (await shell.state()).windows;
      expect(w).toMatchObject({ focused: 1, restored: 1 });
    });

    extra?.({ shell: () => shell, userData: () => userData });

    it('closes the services and exits 0 when the last window closes', async () => {
      await shell.command('closeAllWindows', {});
      expect(await shell.exited).toBe(0);
      expect(readFileSync(join(userData, 'logs', 'main.log'), 'utf8')).not.toMatch(/ ERROR /);
    });
  });
}
