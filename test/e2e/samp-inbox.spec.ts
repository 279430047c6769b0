/**
 * Received data never overwrites the user's work, end to end with real JSAMP peers against
 * browser mode (embedded hub, private SAMP_HUB): with an OIFITS open in Review and a verdict half
 * typed, a FITS table that is not OIFITS is declined with a reply saying so, and an OIFITS waits
 * under "Received over SAMP" until the user opens it. A second test: a SAMP_HUB naming a folder is
 * reported once in the UI and the server still stops on SIGTERM.
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { catalogFits } from '../fixtures/samp/not-oifits';
import { expect, shot, test } from './fixtures';

const JAR = '/usr/share/java/jsamp.jar';
const jsampMissing = !existsSync(JAR) || spawnSync('java', ['-version']).status !== 0;
const OIFITS_DIR = join(import.meta.dirname, '../fixtures/oifits');
const SAMP_FIXTURES = join(import.meta.dirname, '../fixtures/samp');
const work = mkdtempSync(join(tmpdir(), 'samp-inbox-e2e-'));
const SAMP_HUB = `std-lockurl:file://${join(work, 'lockfile')}`;
const jsamp = (...args: string[]) => ['-Djava.awt.headless=true', '-cp', JAR, 'org.astrogrid.samp.JSamp', ...args];

/** Run a JSAMP tool without blocking this process (the server's hub must keep answering). */
function runJsamp(...args: string[]): Promise<string> {
  return new Promise((resolve) => {
    const p = spawn('java', jsamp(...args), { env: { ...process.env, SAMP_HUB }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (out += d.toString()));
    p.on('exit', () => resolve(out));
  });
}

test.afterAll(() => rmSync(work, { recursive: true, force: true }));

test.describe('received over SAMP while reviewing', () => {
  test.use({ demoCount: 20, serverEnv: { SAMP_HUB, SPICA_SAMP: 'on' } });
  test.skip(jsampMissing, 'JSAMP not installed (apt-get install jsamp)');

  test('a half-typed verdict and the open file survive an incoming FITS; an OIFITS waits in the list', async ({ page }) => {
    const open = join(work, 'open.fits');
    copyFileSync(join(OIFITS_DIR, 'PMOIRED__mircx02330_oifits_viscal.fits'), open);
    const catalog = join(work, 'catalog.fits');
    writeFileSync(catalog, catalogFits());
    await expect(page.getByTestId('samp-status')).toContainText('SAMP:', { timeout: 30_000 });

    await page.getByTestId('nav-review').click();
    await page.getByTestId('review-path-input').fill(open);
    await page.getByTestId('review-path-input').press('Enter');
    await expect(page.getByTestId('review-file-name')).toHaveText('open.fits');
    // Plotly's first render keeps this page busy for seconds on a loaded machine: let it finish.
    await expect(page.locator('[data-testid="plot-review-uv"][data-plotted="true"]')).toBeVisible({ timeout: 60_000 });
    await page.getByTestId('review-level-2').click();
    const draft = 'Closure phases noisy on W1-W2, half-wr';
    await page.getByTestId('review-comment').fill(draft);
    await expect(page.getByTestId('review-dirty')).toBeVisible();

    // A TOPCAT/STILTS-style FITS table: declined, and the reply says why.
    const declined = await runJsamp('messagesender', '-mtype', 'table.load.fits', '-param', 'url', pathToFileURL(catalog).href, '-param', 'name', 'topcat table', '-targetname', 'SPICA Companion', '-mode', 'sync');
    expect(declined).toMatch(/samp\.error/);
    expect(declined).toMatch(/topcat table is a FITS file but not OIFITS/);

    // An OIFITS from ASPRO2: queued, not opened.
    const incoming = join(SAMP_FIXTURES, 'Aspro2_zet_Oph_CHARA_SPICA.fits');
    const accepted = await runJsamp('messagesender', '-mtype', 'table.load.fits', '-param', 'url', pathToFileURL(incoming).href, '-targetname', 'SPICA Companion', '-mode', 'sync');
    expect(accepted).toMatch(/samp\.ok/);
    const inbox = page.getByTestId('review-samp-inbox');
    await expect(inbox.getByTestId('review-samp-file')).toHaveCount(1);
    await expect(inbox).toContainText('Aspro2_zet_Oph_CHARA_SPICA.fits');
    await expect(page.getByText('Received over SAMP: waiting in the Review screen')).toBeVisible();

    await expect(page.getByTestId('review-file-name')).toHaveText('open.fits');
    await expect(page.getByTestId('review-comment')).toHaveValue(draft);
    await expect(page.getByTestId('review-level-2')).toHaveAttribute('data-active', 'true');
    await expect(page.getByTestId('review-dirty')).toBeVisible();
    await shot(page, 'samp-review-inbox-1600-dark');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByTestId('review-comment').blur();
    await page.keyboard.press('n');
    await shot(page, 'samp-review-inbox-1280-night');
    await page.keyboard.press('n');
    await page.setViewportSize({ width: 1600, height: 900 });

    // The user chooses to switch: only now does the received file open.
    await inbox.getByTestId('review-samp-file').getByRole('button').first().click();
    await expect(page.getByTestId('review-file-name')).toHaveText('Aspro2_zet_Oph_CHARA_SPICA.fits');
    await expect(inbox.getByTestId('review-samp-file')).toHaveAttribute('data-selected', 'true');
    await inbox.getByRole('button', { name: 'Dismiss Aspro2_zet_Oph_CHARA_SPICA.fits' }).click();
    await expect(inbox).toHaveCount(0);
    expect(existsSync(incoming)).toBe(true); // the sender's own file is never deleted
  });
});

test.describe('a SAMP_HUB the hub cannot use', () => {
  const lockDir = join(work, 'lockdir');
  mkdirSync(lockDir, { recursive: true });
  test.use({ demoCount: 0, serverEnv: { SAMP_HUB: `std-lockurl:file://${lockDir}`, SPICA_SAMP: 'on' } });

  test('is reported once in the UI, and the server still stops on SIGTERM', async ({ page, app }) => {
    await page.getByTestId('nav-samp').click();
    await expect(page.getByTestId('samp-hub-error')).toHaveText(`could not start the embedded SAMP hub: the SAMP lockfile ${lockDir} is a directory (check SAMP_HUB)`);
    await shot(page, 'samp-hub-error');
    const exited = new Promise<number | null>((done) => app.process.once('exit', (code) => done(code)));
    app.process.kill('SIGTERM');
    expect(await Promise.race([exited, new Promise((done) => setTimeout(() => done('still running after 20 s'), 20_000))])).toBe(0);
  });
});
