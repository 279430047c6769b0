/**
 * Keys that always work and context that survives navigation (issue #11), in Chromium against
 * browser mode: after a click on a station chip (an <input type=checkbox>) Alt+1…6, N and [ ]
 * still work; "?" opens the help whichever key types it (US Shift+/ and a French AZERTY Shift+,
 * event), and the help lists the keys of the screen in view; state (Target's target and night,
 * Tonight's tab, Dec strip and seeing, Calibrators' tab per target) is kept when the observer
 * hops between screens; the Survey grid shows a focus ring.
 */
import type { Page } from '@playwright/test';
import { expect, shot, test } from './fixtures';

test.use({ demoCount: 200 });

/** A "?" typed on a French AZERTY keyboard: Shift + the comma key. */
async function typeAzertyQuestionMark(page: Page) {
  await page.evaluate(() => {
    const target = document.activeElement ?? document.body;
    target.dispatchEvent(new KeyboardEvent('keydown', { key: '?', code: 'Comma', shiftKey: true, bubbles: true, cancelable: true }));
  });
}

async function closeImportReport(page: Page) {
  const report = page.getByRole('dialog', { name: 'Import finished' });
  await report.waitFor({ state: 'visible', timeout: 3_000 }).then(() => page.keyboard.press('Escape'), () => undefined);
}

test('global and screen keys work after clicking a chip; ? opens the help on any layout and lists the screen\'s keys', async ({ page }) => {
  await closeImportReport(page);
  await page.keyboard.press('Alt+3');
  await expect(page.getByTestId('target-screen')).toBeVisible();
  // A click on a chip leaves the focus in its <input type=checkbox>.
  await page.getByTestId('station-W2').click();
  expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.type)).toBe('checkbox');
  const night = page.getByTestId('target-screen').getByTestId('night-input');
  const before = await night.inputValue();
  await page.keyboard.press(']');
  await expect(night).not.toHaveValue(before);
  await page.keyboard.press('[');
  await expect(night).toHaveValue(before);
  await page.keyboard.press('n');
  await expect(page.locator('html')).toHaveAttribute('data-theme-mode', 'night');
  await page.keyboard.press('n');
  await expect(page.locator('html')).toHaveAttribute('data-theme-mode', 'dark');

  // "?" as typed on a US keyboard (Shift+/), then as an AZERTY keyboard sends it (Shift+,).
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help).toBeVisible();
  await expect(help.getByTestId('help-screen')).toContainText('[');
  await expect(help.getByTestId('help-screen')).toContainText('previous night');
  await expect(help.getByTestId('help-global')).toContainText('switch screen');
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();
  await page.getByTestId('station-W2').click();
  await typeAzertyQuestionMark(page);
  await expect(help).toBeVisible();
  await typeAzertyQuestionMark(page);
  await expect(help).toBeHidden();

  // Alt+2 from the chip: Tonight, whose help lists d/f/s/u/r/p/j/k.
  await page.getByTestId('station-W2').click();
  await page.keyboard.press('Alt+2');
  await expect(page.getByTestId('tonight-screen')).toBeVisible();
  await page.keyboard.press('?');
  const tonightKeys = help.getByTestId('help-screen');
  for (const [key, what] of [['D', 'log done'], ['F', 'log failed'], ['S', 'skip'], ['U', 'undo the last log entry'], ['R', 're-plan from'], ['P', 'pin'], ['J / ↓', 'select the next block'], ['K / ↑', 'select the previous block']]) {
    await expect(tonightKeys.getByTestId('help-key').filter({ hasText: what })).toContainText(key);
  }
  await shot(page, 'night-help-tonight');
  await page.keyboard.press('Escape');

  // Keys stay out of a text field: typing "n" in the Tonight night field does not switch the theme.
  await page.getByTestId('tonight-screen').getByTestId('night-input').click();
  await page.keyboard.press('n');
  await expect(page.locator('html')).toHaveAttribute('data-theme-mode', 'dark');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Alt+5');
  await expect(page.getByTestId('nav-review')).toHaveAttribute('data-active', 'true');
  await page.keyboard.press('?');
  for (const what of ['next file', 'quality level 0–5', 'write a comment', 'save the verdict into the file']) {
    await expect(help.getByTestId('help-screen')).toContainText(what);
  }
  await page.keyboard.press('Escape');

  // The Survey grid shows a focus ring when it has the keyboard.
  await page.keyboard.press('Alt+1');
  const grid = page.getByRole('grid', { name: 'Survey targets' });
  await grid.focus();
  const outline = await grid.evaluate((el) => getComputedStyle(el).outlineStyle + ' ' + getComputedStyle(el).outlineWidth);
  expect(outline).toBe('solid 2px');
  await page.keyboard.press('j');
  await expect(page.locator('.survey-row[data-selected="true"]')).toHaveCount(1);
  await shot(page, 'night-survey-focus-ring');
});

test('each screen keeps its context when the observer hops between them', async ({ page, app }) => {
  await closeImportReport(page);
  const { rows } = await app.services.call('survey.list', { filter: {}, sort: { key: 'name', direction: 'asc' } });
  const [a, b] = rows;

  // Target: a target and a night.
  await page.getByTestId('nav-target').click();
  await page.getByTestId('target-select').click();
  await page.getByRole('option', { name: a.name, exact: true }).click();
  const targetNight = page.getByTestId('target-screen').getByTestId('night-input');
  await targetNight.fill('2026-10-03');
  await expect(page.getByTestId('target-night-panel')).toBeVisible({ timeout: 60_000 });

  // Tonight: the best Dec strip, a seeing value, the Dec strips tab.
  await page.getByTestId('nav-tonight').click();
  await page.getByTestId('tonight-screen').getByTestId('night-input').fill('2026-05-15');
  await page.getByTestId('tab-strips').click();
  await expect(page.getByTestId('use-best-strip')).toBeVisible({ timeout: 90_000 });
  await page.getByTestId('use-best-strip').click();
  const strip = await page.getByTestId('strip-chip').innerText();
  expect(strip).toMatch(/^Dec -?\d+…-?\d+° ✕$/);

  // Calibrators: the Rejected tab for a, Candidates for b.
  await page.getByTestId('nav-calibrators').click();
  await page.getByTestId('calibrators-target-select').click();
  await page.getByRole('option', { name: a.name, exact: true }).click();
  await page.getByTestId('tab-rejected').click({ timeout: 60_000 });
  await page.getByTestId('calibrators-target-select').click();
  await page.getByRole('option', { name: b.name, exact: true }).click();
  await expect(page.getByTestId('tab-candidates')).toHaveAttribute('aria-selected', 'true', { timeout: 60_000 });
  await page.getByTestId('calibrators-target-select').click();
  await page.getByRole('option', { name: a.name, exact: true }).click();
  await expect(page.getByTestId('tab-rejected')).toHaveAttribute('aria-selected', 'true', { timeout: 60_000 });

  // Back to each screen: everything is where it was.
  await page.getByTestId('nav-target').click();
  await expect(page.getByTestId('target-select')).toHaveValue(a.name);
  await expect(page.getByTestId('target-screen').getByTestId('night-input')).toHaveValue('2026-10-03');
  await page.getByTestId('nav-tonight').click();
  await expect(page.getByTestId('strip-chip')).toHaveText(strip);
  await expect(page.getByTestId('plan-button')).toContainText(strip.replace(' ✕', ''));
  await expect(page.getByTestId('tab-strips')).toHaveAttribute('aria-selected', 'true');
  await page.getByTestId('plan-button').click();
  await expect(page.getByTestId('next-block')).toBeVisible({ timeout: 90_000 });
  // "Plan night" planned on the strip, not the whole sky.
  const plan = (await app.services.call('planner.latest', { night: '2026-05-15' }))!;
  const [lo, hi] = strip.match(/-?\d+/g)!.map(Number);
  const sciDecs = plan.blocks.filter((x) => x.kind === 'SCI').map((x) => x.decDeg);
  expect(sciDecs.length).toBeGreaterThan(0);
  for (const dec of sciDecs) expect(dec >= lo && dec <= hi, `Dec ${dec} in ${lo}…${hi}`).toBe(true);
  await page.getByTestId('log-seeing').fill('1.3');
  await page.getByTestId('tab-log').click();
  await page.getByTestId('nav-calibrators').click();
  await page.getByTestId('nav-tonight').click();
  await expect(page.getByTestId('log-seeing')).toHaveValue('1.3');
  await expect(page.getByTestId('tab-log')).toHaveAttribute('aria-selected', 'true');
  await page.getByTestId('nav-calibrators').click();
  await expect(page.getByTestId('calibrators-target-select')).toHaveValue(a.name);
  await expect(page.getByTestId('tab-rejected')).toHaveAttribute('aria-selected', 'true');
  // A reload keeps what belongs to the night: strip, seeing, targets.
  await page.reload();
  await page.getByTestId('nav-tonight').click();
  await page.getByTestId('tonight-screen').getByTestId('night-input').fill('2026-05-15');
  await expect(page.getByTestId('strip-chip')).toHaveText(strip);
  await expect(page.getByTestId('log-seeing')).toHaveValue('1.3', { timeout: 30_000 });
  await page.getByTestId('nav-target').click();
  await expect(page.getByTestId('target-select')).toHaveValue(a.name);
});
