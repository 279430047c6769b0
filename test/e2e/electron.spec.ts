/**
 * The desktop window itself, through Playwright's Electron driver: a real Electron launch. It runs
 * wherever an Electron binary exists and is skipped where none can be installed (this project's
 * CI and dev machines: the binary's download is blocked). It is the one test CI allows to skip;
 * the shell is tested without a binary by test/shell/ (the built main bundle under an `electron`
 * stand-in, from the checkout and from the packaged layout).
 */
import { _electron as electron } from '@playwright/test';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { electronVersion, ensureElectronSqlite } from '../../electron/cli/desktop-start';
import { expect, REPO_ROOT, test } from './fixtures';

function electronBinary(): string | null {
  if (process.env.ELECTRON_EXEC_PATH && existsSync(process.env.ELECTRON_EXEC_PATH)) return process.env.ELECTRON_EXEC_PATH;
  const pathTxt = join(REPO_ROOT, 'node_modules', 'electron', 'path.txt');
  if (!existsSync(pathTxt)) return null;
  const binary = join(REPO_ROOT, 'node_modules', 'electron', 'dist', readFileSync(pathTxt, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

test('opens the hardened desktop window on the survey', async () => {
  const executablePath = electronBinary();
  test.skip(executablePath === null, 'no Electron binary on this machine (its download is blocked here); test/shell/ covers the shell under the electron stand-in');
  test.setTimeout(600_000); // the first run builds better-sqlite3 for Electron
  const log = { out: () => undefined, err: (t: string) => process.stderr.write(`${t}\n`), openServices: () => Promise.reject(new Error('unused')) };
  const binding = await ensureElectronSqlite(REPO_ROOT, electronVersion(REPO_ROOT), log);
  const dataDir = mkdtempSync(join(tmpdir(), 'spica-electron-'));
  const app = await electron.launch({
    executablePath: executablePath as string,
    args: [REPO_ROOT],
    env: { ...process.env, SPICA_COMPANION_DATA_DIR: dataDir, SPICA_SAMP: 'off', SPICA_SQLITE_BINDING: binding },
  });
  try {
    const window = await app.firstWindow();
    await expect(window.getByTestId('survey-row').first()).toBeVisible({ timeout: 60_000 });
    expect(await window.evaluate(() => location.protocol)).toBe('app:');
    expect(await window.evaluate(() => typeof (window as unknown as { require?: unknown }).require)).toBe('undefined');
    expect(await window.evaluate(() => typeof (window as unknown as { process?: unknown }).process)).toBe('undefined');
    expect(await window.evaluate(() => Object.keys((window as unknown as { spica: object }).spica).sort())).toEqual(['call', 'onEvent', 'pathForFile']);
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
