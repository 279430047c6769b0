import { chmodSync, copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from './fixtures';
test.use({ demoCount: 0 });
test('debug', async ({ page }) => {
  page.on('console', (m) => console.log('CONSOLE', m.type(), m.text().slice(0, 400)));
  const root = mkdtempSync(join(tmpdir(), 'spica-night-'));
  mkdirSync(join(root, 'Results/2026-11-21'), { recursive: true });
  const f = 'oimodeler__MIRCX_L2.2023Oct14._bet_Ari.MIRCX_IDL.nn.AVG10m.fits';
  copyFileSync(join(import.meta.dirname, '../fixtures/oifits', f), join(root, 'Results/2026-11-21', f));
  chmodSync(join(root, 'Results/2026-11-21', f), 0o644);
  await page.getByTestId('nav-review').click();
  await page.getByTestId('review-folder-input').fill(root);
  await page.getByTestId('review-folder-input').press('Enter');
  await page.waitForTimeout(2000);
  await page.getByTestId('review-folder-input').blur();
  await page.keyboard.press('j');
  for (let i = 0; i < 5; i++) {
    await page.waitForTimeout(2000);
    console.log(await page.locator('[data-testid^="plot-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid') + ' ' + e.getAttribute('data-plotted') + ' ' + e.innerHTML.length)));
  }
});
