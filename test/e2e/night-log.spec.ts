/**
 * Nothing logged by accident, nothing that cannot be taken back (issue #11), in Chromium against
 * browser mode: clicking a block never changes the "next" card; logging the selected block when it
 * is not the next one asks first (Esc cancels, Enter confirms); a held key logs once; every log
 * entry can be undone (the completion comes back to the value before, read from the store) or
 * corrected (outcome, seeing); "Re-plan from 25:99" is refused with a reason.
 */
import { expect, shot, test } from './fixtures';

const NIGHT = '2026-05-15';

test.use({ demoCount: 200 });

test('logging from a selected row asks first, and an undo restores the completion', async ({ page, app }) => {
  test.setTimeout(240_000);
  await page.getByRole('dialog', { name: 'Import finished' }).waitFor({ state: 'visible', timeout: 3_000 }).then(() => page.keyboard.press('Escape'), () => undefined);
  await page.getByTestId('nav-tonight').click();
  await page.getByTestId('tonight-screen').getByTestId('night-input').fill(NIGHT);
  await page.getByTestId('plan-button').click();
  await expect(page.getByTestId('next-block')).toBeVisible({ timeout: 120_000 });
  const plan = (await app.services.call('planner.latest', { night: NIGHT }))!;
  const first = plan.blocks[0];
  const sci = plan.blocks.filter((b) => b.kind === 'SCI');
  expect(sci.length).toBeGreaterThanOrEqual(2);
  const chosen = sci[1];
  const completion = async (id: string) => (await app.services.call('survey.get', { id })).completionRate;
  const before = await completion(chosen.starKey);

  // Clicking a row selects it; the next card stays the real next block.
  await page.locator('[data-testid="block-row"][data-kind="SCI"]', { hasText: chosen.name }).first().click();
  await expect(page.getByTestId('next-name')).toHaveText(first.name);
  await expect(page.getByTestId('selected-name')).toHaveText(chosen.name);
  await shot(page, 'night-log-selected');

  // d asks first; Esc cancels and nothing is written.
  await page.getByTestId('plan-stats').click();
  await page.keyboard.press('d');
  const confirm = page.getByRole('dialog', { name: `Log SCI ${chosen.name} out of order?` });
  await expect(confirm).toBeVisible();
  await expect(confirm).toContainText(`is not the next block: ${first.kind} ${first.name}`);
  await shot(page, 'night-log-confirm');
  await page.keyboard.press('Escape');
  await expect(confirm).toBeHidden();
  expect(await completion(chosen.starKey)).toBe(before);
  expect((await app.services.call('planner.get', { planId: plan.id })).blocks.every((b) => b.status === 'planned')).toBe(true);

  // d again, Enter confirms: logged, completion moved, the next card unchanged.
  await page.keyboard.press('d');
  await expect(confirm).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page.locator(`[data-testid="block-row"][data-status="done"]`)).toHaveCount(1);
  await expect.poll(() => completion(chosen.starKey)).toBeGreaterThan(before);
  const after = await completion(chosen.starKey);
  await expect(page.getByTestId('next-name')).toHaveText(first.name);

  // The log (from the store) shows it with the completion it moved; Undo brings the completion back.
  await page.getByTestId('tab-log').click();
  const entry = page.getByTestId('log-entry').filter({ hasText: chosen.name });
  await expect(entry.getByTestId('log-completion')).toHaveText(`${Math.round(before * 100)}% → ${Math.round(after * 100)}%`);
  await shot(page, 'night-log-entry');
  await entry.getByTestId('log-undo').click();
  await expect(page.locator(`[data-testid="block-row"][data-status="done"]`)).toHaveCount(0);
  await expect.poll(() => completion(chosen.starKey)).toBe(before);
  await expect(page.getByTestId('log-entry')).toHaveCount(0);

  // A held key logs once (auto-repeat is ignored for log keys); u undoes the last entry after asking.
  await page.getByTestId('plan-stats').click();
  await page.keyboard.down('d');
  await page.keyboard.down('d');
  await page.keyboard.down('d');
  await page.keyboard.up('d');
  await expect(page.locator(`[data-testid="block-row"][data-status="done"]`)).toHaveCount(1);
  await page.waitForTimeout(500);
  await expect(page.locator(`[data-testid="block-row"][data-status="done"]`)).toHaveCount(1);
  await page.keyboard.press('u');
  await expect(page.getByRole('dialog', { name: 'Undo the last log entry?' })).toContainText(first.name);
  await page.keyboard.press('Enter');
  await expect(page.locator(`[data-testid="block-row"][data-status="done"]`)).toHaveCount(0);

  // A correction: log the first science block done, then correct it to failed with its seeing.
  const sci0 = sci[0];
  const before0 = await completion(sci0.starKey);
  for (let i = 0; i <= plan.blocks.indexOf(sci0); i++) {
    await expect(page.getByTestId('next-name')).toHaveText(plan.blocks[i].name);
    await page.getByTestId('plan-stats').click();
    await page.keyboard.press('d');
    await expect(page.locator(`[data-testid="block-row"][data-status="done"]`)).toHaveCount(i + 1);
  }
  await expect.poll(() => completion(sci0.starKey)).toBeGreaterThan(before0);
  const row = page.getByTestId('log-entry').filter({ hasText: `SCI ${sci0.name}` });
  await row.getByTestId('log-edit').click();
  const edit = page.getByTestId('edit-log');
  await edit.getByTestId('edit-outcome').click();
  await page.getByRole('option', { name: '✗ failed' }).click();
  await edit.getByTestId('edit-seeing').fill('2.4');
  await edit.getByTestId('edit-notes').fill('fringes lost');
  await shot(page, 'night-log-edit');
  await edit.getByTestId('edit-save').click();
  await expect(row).toHaveAttribute('data-status', 'failed');
  await expect(row).toContainText('2.4″ · fringes lost');
  await expect.poll(() => completion(sci0.starKey)).toBe(before0);
  const stored = (await app.services.call('planner.log', { planId: plan.id })).find((e) => e.blockId === sci0.id)!;
  expect(stored).toMatchObject({ status: 'failed', seeingArcsec: 2.4, notes: 'fringes lost' });

  // "Re-plan from 25:99" is refused with the reason; nothing is re-planned.
  const fromBefore = (await app.services.call('planner.get', { planId: plan.id })).fromUtc;
  await page.getByTestId('from-input').fill('25:99');
  await expect(page.getByText('hours go 00–23 and minutes 00–59').first()).toBeVisible();
  await page.getByTestId('replan-now').click();
  await expect(page.getByTestId('tonight-error')).toContainText('Re-plan: "25:99" is not a UT time');
  expect((await app.services.call('planner.get', { planId: plan.id })).fromUtc).toBe(fromBefore);
  await shot(page, 'night-replan-refused');
});
