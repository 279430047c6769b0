/**
 * Shell contract test: the real built main bundle (out/main/main.js, from `electron-vite build`)
 * run under Node with the `electron` STAND-IN, from the checkout. It is not a launch of Electron:
 * that is test/e2e/electron.spec.ts, which runs where an Electron binary exists.
 * SPICA_SHELL_MAIN_BUNDLE points it at another build (e.g. an older commit's) to compare.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { shellContractSuite } from './contract';
import { launchShell, REPO_ROOT } from './harness';
import { ensureFreshBuild } from './fresh-build';

const MAIN_JS = process.env.SPICA_SHELL_MAIN_BUNDLE ?? join(REPO_ROOT, 'out', 'main', 'main.js');
const APP_PATH = process.env.SPICA_SHELL_MAIN_BUNDLE ? join(MAIN_JS, '..', '..', '..') : REPO_ROOT;
if (!process.env.SPICA_SHELL_MAIN_BUNDLE) await ensureFreshBuild();

shellContractSuite('shell contract: out/main/main.js from the checkout, under the electron stand-in', () => ({
  mainJs: MAIN_JS,
  appPath: APP_PATH,
  isPackaged: false,
}));

describe('shell start-up paths (out/main/main.js under the electron stand-in)', () => {
  const dirs: string[] = [];
  const tempDir = (): string => {
    const d = mkdtempSync(join(tmpdir(), 'spica-shell-'));
    dirs.push(d);
    return d;
  };
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('a second instance quits before any start-up work (no store, no window, no handlers)', async () => {
    const userData = tempDir();
    const shell = launchShell(MAIN_JS, { appPath: APP_PATH, userData, singleInstanceLock: false });
    expect(await shell.exited).toBe(0);
    const s = shell.finalRecord();
    expect(s).toMatchObject({ singleInstanceLockRequested: true, quitRequested: 1, windows: [], protocolHandlers: [], ipcHandlers: [], privilegedSchemes: [], sandboxEnabled: false });
    expect(existsSync(join(userData, 'survey.sqlite'))).toBe(false);
    expect(existsSync(join(userData, 'logs'))).toBe(false);
  });

  it('a start-up failure is written to logs/main.log in the data folder and shown in a dialog, exit 1', async () => {
    const userData = tempDir();
    mkdirSync(join(userData, 'survey.sqlite')); // a folder where the store file should be
    const shell = launchShell(MAIN_JS, { appPath: APP_PATH, userData });
    expect(await shell.exited).toBe(1);
    const s = shell.finalRecord();
    expect(s?.errorBoxes).toHaveLength(1);
    expect(s?.errorBoxes[0].title).toBe('SPICA Companion could not start');
    expect(s?.errorBoxes[0].content).toContain(join(userData, 'logs', 'main.log'));
    expect(readFileSync(join(userData, 'logs', 'main.log'), 'utf8')).toMatch(/ERROR start-up failed: .*\n\s+at /);
  });

  it('--cli runs the companion CLI in the main process and exits with its code, opening no window', async () => {
    const userData = tempDir();
    const help = launchShell(MAIN_JS, { appPath: APP_PATH, userData }, ['--cli', 'help']);
    expect(await help.exited).toBe(0);
    expect(help.stdout()).toMatch(/^Usage: companion \[--data-dir DIR\] <command>/);
    expect(help.finalRecord()).toMatchObject({ windows: [], singleInstanceLockRequested: false, exitCode: 0 });
    const bad = launchShell(MAIN_JS, { appPath: APP_PATH, userData }, ['--cli', 'frobnicate']);
    expect(await bad.exited).toBe(2);
    expect(bad.stderr()).toMatch(/unknown command "frobnicate"/);
  });
});
