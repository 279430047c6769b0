/**
 * Playwright fixture: a real browser-mode server — `companion serve` in its own process, real
 * services, a real SQLite file in a fresh temp folder, the built renderer — and a page opened on
 * its tokenised URL. Tests reach the same services over the same HTTP API the UI uses.
 */
import { test as base, expect, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Input, MethodName, Result } from '../../shared/contract';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');
export const SCREENS_DIR = join(REPO_ROOT, 'test-results', 'screens');

/** The services of the running server, called over its HTTP API with the run's token. */
export interface ApiOverHttp {
  call<M extends MethodName>(method: M, params: Input<M>): Promise<Result<M>>;
}

export interface AppFixture {
  services: ApiOverHttp;
  server: { url: string; openUrl: string; token: string };
  dataDir: string;
  process: ChildProcess;
}

export interface AppOptions {
  /** Demo targets to generate before the page opens (0 = empty store). */
  demoCount: number;
  /** Extra environment for the server process (e.g. SAMP settings). */
  serverEnv: Record<string, string>;
}

export function startServer(dataDir: string, env: Record<string, string>): Promise<{ child: ChildProcess; openUrl: string }> {
  return new Promise((resolveStart, reject) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'electron/cli/bin.mjs'), 'serve', '--data-dir', dataDir, '--no-demo'], {
      cwd: REPO_ROOT,
      env: { ...process.env, SPICA_STRICT_JSON: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`server did not start in 60 s: ${err}`)), 60_000);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolveStart({ child, openUrl: m[1] });
      }
    });
    child.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
      if (process.env.SPICA_E2E_VERBOSE) process.stderr.write(d);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}: ${err}`));
    });
  });
}

export const test = base.extend<AppOptions & { app: AppFixture }>({
  demoCount: [3000, { option: true }],
  serverEnv: [{}, { option: true }],
  app: async ({ demoCount, serverEnv }, use) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'spica-e2e-'));
    const { child, openUrl } = await startServer(dataDir, serverEnv);
    const url = new URL(openUrl);
    const token = url.searchParams.get('token') as string;
    const services: ApiOverHttp = {
      async call(method, params) {
        const r = await fetch(`${url.origin}/api/call/${method}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify(params ?? {}),
        });
        const body = (await r.json()) as { ok: boolean; result?: unknown; error?: { message: string } };
        if (!body.ok) throw new Error(body.error?.message ?? `HTTP ${r.status}`);
        return body.result as never;
      },
    };
    if (demoCount > 0) await services.call('survey.demo.generate', { count: demoCount });
    await use({ services, server: { url: `${url.origin}/`, openUrl, token }, dataDir, process: child });
    const exited = new Promise((done) => child.once('exit', done));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((done) => setTimeout(done, 10_000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  },
  page: async ({ page, app }, use) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(app.server.openUrl);
    await use(page);
    expect(errors, `uncaught errors in the page: ${errors.join('; ')}`).toEqual([]);
  },
});

/** How long one capture may take before a fresh frame is forced and the capture tried again. */
const CAPTURE_TIMEOUT_MS = 20_000;
const CAPTURE_TRIES = 3;

/**
 * A screenshot of the page (written to `path` when given). Chromium's `Page.captureScreenshot`
 * waits for a compositor frame; on a loaded CI machine one capture after a viewport change on the
 * Review screen (an 8,946-point canvas) never returned, and the test then timed out. Each try is
 * bounded; before the next one the viewport is set again one pixel taller and back, which makes the
 * compositor produce new frames. A capture that fails every try still fails the test.
 */
export async function capture(page: Page, path?: string): Promise<Buffer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await page.screenshot({ path, timeout: CAPTURE_TIMEOUT_MS });
    } catch (e) {
      if (attempt >= CAPTURE_TRIES || page.isClosed() || !/Timeout/i.test(String(e))) throw e;
      const size = page.viewportSize();
      if (size) {
        await page.setViewportSize({ width: size.width, height: size.height + 1 });
        await page.setViewportSize(size);
      }
      await page.evaluate(() => new Promise<void>((done) => requestAnimationFrame(() => requestAnimationFrame(() => done()))));
    }
  }
}

/** Save a screenshot under test-results/screens/ (look at it!). */
export async function shot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENS_DIR, { recursive: true });
  const path = join(SCREENS_DIR, `${name}.png`);
  await capture(page, path);
  return path;
}

export { expect };
