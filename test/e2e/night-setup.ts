/**
 * The night both screenshot specs show: a plan whose first science block and its calibrator are
 * logged done and the next block failed, on Tonight with a later science block selected.
 */
import type { Locator, Page } from '@playwright/test';
import type { PlanView } from '../../shared/planner/api-types';
import { expect, type AppFixture } from './fixtures';

/** Switch the app to `mode` through its own toggle. */
export async function setTheme(page: Page, mode: 'dark' | 'night'): Promise<void> {
  if ((await page.locator('html').getAttribute('data-theme-mode')) !== mode) await page.getByTestId('theme-toggle').click();
  await expect(page.locator('html')).toHaveAttribute('data-theme-mode', mode);
}

/** Plan `night`, log done up to the first SCI block and the next one failed, open Tonight and select a planned SCI block. */
export async function loggedNightOnTonight(page: Page, app: AppFixture, night: string): Promise<{ plan: PlanView; sci: number }> {
  await page.getByRole('dialog', { name: 'Import finished' }).waitFor({ state: 'visible', timeout: 3_000 }).then(() => page.keyboard.press('Escape'), () => undefined);
  const plan = await app.services.call('planner.plan', { night });
  const sci = plan.blocks.findIndex((b) => b.kind === 'SCI');
  for (let i = 0; i <= sci; i++) await app.services.call('planner.logBlock', { planId: plan.id, blockId: plan.blocks[i].id, outcome: 'done', seeingArcsec: 1.1 });
  await app.services.call('planner.logBlock', { planId: plan.id, blockId: plan.blocks[sci + 1].id, outcome: 'failed', notes: 'clouds' });
  await page.getByTestId('nav-tonight').click();
  await page.getByTestId('tonight-screen').getByTestId('night-input').fill(night);
  await expect(page.getByTestId('next-block')).toBeVisible({ timeout: 60_000 });
  await page.locator('[data-testid="block-row"][data-status="planned"][data-kind="SCI"]').nth(1).click();
  await expect(page.getByTestId('selected-name')).toBeVisible();
  return { plan, sci };
}

/**
 * Show `name` on Target and Calibrators for `night`, and `file` in Review. The pickers list 50
 * targets at a time, so the name is typed rather than looked for in the first page of options.
 */
export async function showStarAndFile(page: Page, name: string, night: string, file: string): Promise<void> {
  await page.getByTestId('nav-target').click();
  await page.getByTestId('target-select').fill(name);
  await page.getByRole('option', { name, exact: true }).click({ timeout: 15_000 });
  await page.getByTestId('target-screen').getByTestId('night-input').fill(night);
  await page.getByTestId('nav-calibrators').click();
  await page.getByTestId('calibrators-screen').getByLabel('Night (evening date)').fill(night);
  await page.getByTestId('calibrators-target-select').fill(name);
  await page.getByRole('option', { name, exact: true }).click({ timeout: 15_000 });
  await page.getByTestId('nav-review').click();
  await page.getByTestId('review-path-input').fill(file);
  await page.getByTestId('review-path-input').press('Enter');
}

/** Texts inside `root` that their own box cuts (an ellipsis included) or that run past the window's right edge. */
export async function clippedTexts(root: Locator): Promise<string[]> {
  return root.evaluate((el) => {
    const out: string[] = [];
    const width = document.documentElement.clientWidth;
    for (const e of el.querySelectorAll<HTMLElement>('*')) {
      const own = [...e.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim() !== '');
      if (!own || e.closest('.js-plotly-plot')) continue;
      const style = getComputedStyle(e);
      if (style.visibility === 'hidden') continue;
      const r = e.getBoundingClientRect();
      if (r.width === 0) continue;
      // An ellipsis counts: a badge reading "PLANN…" is cut as well.
      const cut = e.scrollWidth > e.clientWidth + 1 && style.overflowX !== 'visible';
      if (cut || r.right > width + 1) out.push(`${e.tagName.toLowerCase()} "${e.textContent!.trim().slice(0, 40)}" ${e.scrollWidth}/${e.clientWidth} ${Math.round(r.right)}/${width}`);
    }
    return out;
  });
}
