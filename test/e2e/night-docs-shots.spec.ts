/**
 * The night screens the docs show (docs/tonight.md): Tonight, its log, the key help and the
 * ASPRO2 hand-off dialog, in the dark and the red ("night") theme at 1600×1000 and 1280×800,
 * saved as test-results/screens/doc-<what>-<theme>-<width>.png to be looked at. At each size the
 * Tonight toolbar, next card, selected panel, log rows and dialogs show their text whole: no
 * element of them is cut by its own box (scrollWidth beyond clientWidth) or by the window.
 */
import type { Locator } from '@playwright/test';
import { expect, shot, test } from './fixtures';
import { clippedTexts, loggedNightOnTonight, setTheme } from './night-setup';

const NIGHT = '2026-05-15';

test.use({ demoCount: 200 });

test('Tonight, the log, the help and the ASPRO2 hand-off in both themes at 1600 and 1280 px show their text whole', async ({ page, app }) => {
  test.setTimeout(420_000);
  await loggedNightOnTonight(page, app, NIGHT);

  const cut: string[] = [];
  const check = async (what: string, root: Locator) => cut.push(...(await clippedTexts(root)).map((c) => `${what}: ${c}`));
  for (const [width, height] of [[1600, 1000], [1280, 800]] as const) {
    await page.setViewportSize({ width, height });
    for (const theme of ['dark', 'night'] as const) {
      await setTheme(page, theme);
      const tag = `${theme}-${width}`;
      await page.getByTestId('tab-left-out').click();
      await expect(page.getByTestId('tonight-timeline').locator('[data-plotted="true"]')).toBeVisible({ timeout: 60_000 });
      // Clicking the tab scrolled the screen down at 1280×800; the picture shows its top.
      await page.getByTestId('tonight-screen').evaluate((e) => e.scrollTo(0, 0));
      await page.waitForTimeout(400);
      await shot(page, `doc-tonight-${tag}`);
      await check(`tonight ${tag}`, page.getByTestId('tonight-screen'));

      await page.getByTestId('tab-log').click();
      await expect(page.getByTestId('log-entry').first()).toBeVisible();
      await page.waitForTimeout(300);
      await shot(page, `doc-log-${tag}`);
      await check(`log ${tag}`, page.getByTestId('tonight-screen'));

      await page.getByTestId('plan-stats').click();
      await page.keyboard.press('?');
      const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
      await expect(help.getByTestId('help-screen')).toContainText('log done');
      await page.waitForTimeout(300);
      await shot(page, `doc-help-${tag}`);
      await check(`help ${tag}`, help);
      await page.keyboard.press('Escape');
      await expect(help).toBeHidden();

      await page.getByTestId('send-aspro2').click();
      const modal = page.getByTestId('send-plan-modal');
      await expect(modal.getByTestId('send-plan-summary')).toContainText('science target');
      await page.waitForTimeout(300);
      await shot(page, `doc-handoff-${tag}`);
      await check(`hand-off ${tag}`, modal);
      await page.keyboard.press('Escape');
      await expect(modal).toBeHidden();
    }
  }
  expect(cut).toEqual([]);
});
