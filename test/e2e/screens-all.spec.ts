/**
 * Every screen the navigation holds, in its working state, in the dark and the red ("night")
 * theme at 1280×800, saved as test-results/screens/all-<screen>-<theme>-1280.png to be looked at
 * (issue #11; listed in docs/night-ux.md). The list of screens is read from the nav itself, so a new
 * screen is photographed without editing this file. No screen is wider than the window (nothing
 * hides behind a page-level horizontal scroll). Texts cut by their own box are listed in
 * test-results/screens/all-cut-texts.json to be read with the pictures: scrolling grids (the
 * Survey's) cut cells on purpose, so that list is a report, not an assertion.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, REPO_ROOT, SCREENS_DIR, shot, test } from './fixtures';
import { clippedTexts, loggedNightOnTonight, setTheme, showStarAndFile } from './night-setup';

const NIGHT = '2026-05-15';

test.use({ demoCount: 200 });

/** What shows that a screen has its data (a plotted timeline, a table's first row…). */
const READY: Record<string, (page: Page) => Promise<void>> = {
  survey: (page) => expect(page.getByTestId('survey-row').first()).toBeVisible(),
  tonight: (page) => expect(page.getByTestId('tonight-timeline').locator('[data-plotted="true"]')).toBeVisible({ timeout: 60_000 }),
  target: (page) => expect(page.getByTestId('plot-observability-bars')).toHaveAttribute('data-plotted', 'true', { timeout: 60_000 }),
  calibrators: (page) => expect(page.getByTestId('candidate-row').or(page.getByTestId('candidates-empty')).first()).toBeVisible({ timeout: 90_000 }),
  review: (page) => expect(page.locator('[data-testid="plot-review-frequency"][data-plotted="true"]')).toBeVisible({ timeout: 60_000 }),
  samp: (page) => expect(page.getByTestId('samp-screen')).toBeVisible(),
  sync: (page) => expect(page.getByTestId('sync-connection')).toBeVisible(),
};

test('every screen of the nav in both themes at 1280×800, none wider than the window', async ({ page, app }) => {
  test.setTimeout(420_000);
  await page.setViewportSize({ width: 1280, height: 800 });
  // A logged night on Tonight, its first science target on Target and Calibrators, a file in Review.
  const { plan, sci } = await loggedNightOnTonight(page, app, NIGHT);
  const star = plan.blocks[sci];
  await showStarAndFile(page, star.name, NIGHT, join(REPO_ROOT, 'test/fixtures/samp/Aspro2_zet_Oph_CHARA_SPICA.fits'));

  const screens = await page.locator('.mantine-NavLink-root[data-testid^="nav-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!.slice('nav-'.length)));
  expect(screens).toEqual(expect.arrayContaining(Object.keys(READY)));
  const cut: string[] = [];
  for (const theme of ['dark', 'night'] as const) {
    await setTheme(page, theme);
    for (const screen of screens) {
      await page.getByTestId(`nav-${screen}`).click();
      await READY[screen]?.(page);
      await page.mouse.move(640, 790);
      await page.waitForTimeout(600);
      await shot(page, `all-${screen}-${theme}-1280`);
      const wide = await page.locator('main').evaluate((m) => [m.scrollWidth - m.clientWidth, document.documentElement.scrollWidth - window.innerWidth]);
      expect(Math.max(...wide), `${screen} (${theme}) wider than the window`).toBeLessThanOrEqual(1);
      cut.push(...(await clippedTexts(page.locator('main'))).map((c) => `${screen} ${theme}: ${c}`));
    }
  }
  writeFileSync(join(SCREENS_DIR, 'all-cut-texts.json'), JSON.stringify(cut, null, 1));
});
