/**
 * Tonight end to end: plan a night of the demo survey, log blocks done with the keyboard until a
 * science block moves its target's completion, lose an hour to clouds and re-plan from a later
 * time, in the dark and the red night theme; a bad calibrator and another configuration mark the plan as not current.
 */
import { expect, shot, test } from './fixtures';

const NIGHT = '2026-05-15';

test.use({ demoCount: 600 });

test('plans a night, logs a block done, re-plans after clouds', async ({ page, app }) => {
  test.setTimeout(180_000);
  await page.getByTestId('nav-tonight').click();
  await page.getByTestId('night-input').fill(NIGHT);
  await page.getByTestId('plan-button').click();
  await expect(page.getByTestId('next-block')).toBeVisible({ timeout: 90_000 });
  const plan = (await app.services.call('planner.latest', { night: NIGHT }))!;
  expect(plan.stats.scienceBlocks).toBeGreaterThan(0);
  await expect(page.getByTestId('stat-sci')).toHaveText(`${plan.stats.scienceBlocks} science`);
  await expect(page.getByTestId('block-row')).toHaveCount(plan.blocks.length);
  await expect(page.getByTestId('next-name')).toHaveText(plan.blocks[0].name);
  await expect(page.getByTestId('tonight-timeline').locator('[data-plotted="true"]')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('plan-why')).toContainText('Why this order');
  await shot(page, 'tonight-dark');

  // Log blocks done with the keyboard up to and including the first science block.
  const firstSci = plan.blocks.findIndex((b) => b.kind === 'SCI');
  const sci = plan.blocks[firstSci];
  const before = (await app.services.call('survey.get', { id: sci.starKey })).completionRate;
  await page.getByTestId('log-seeing').fill('1.2');
  for (let i = 0; i <= firstSci; i++) {
    await expect(page.getByTestId('next-name')).toHaveText(plan.blocks[i].name);
    await page.getByTestId('plan-stats').click();
    await page.keyboard.press('d');
    await expect(page.locator(`[data-testid="block-row"][data-status="done"]`)).toHaveCount(i + 1);
  }
  const after = (await app.services.call('survey.get', { id: sci.starKey })).completionRate;
  expect(after).toBeGreaterThan(before);
  await page.getByTestId('tab-log').click();
  const entry = page.getByTestId('log-entry').first();
  await expect(entry).toHaveAttribute('data-status', 'done');
  await expect(entry).toContainText(`SCI ${sci.name}`);
  await expect(entry).toContainText(`${Math.round(before * 100)}% → ${Math.round(after * 100)}%`);
  await expect(page.getByTestId('stat-done')).toHaveText(`${firstSci + 1} done`);
  await shot(page, 'tonight-logged');

  // Clouds: nothing observed for an hour after the science block; re-plan from then.
  const cloudEnd = new Date(Date.parse(sci.endUtc) + 3_600_000);
  const hhmm = cloudEnd.toISOString().slice(11, 16);
  await page.getByTestId('from-input').fill(hhmm);
  await page.getByTestId('replan-now').click();
  await expect(page.getByTestId('plan-stats')).toContainText(`planned from ${hhmm} UT`);
  const replanned = (await app.services.call('planner.latest', { night: NIGHT }))!;
  expect(replanned.blocks.filter((b) => b.status === 'done').map((b) => b.id)).toEqual(plan.blocks.slice(0, firstSci + 1).map((b) => b.id));
  for (const b of replanned.blocks.filter((x) => x.status === 'planned')) expect(Date.parse(b.startUtc)).toBeGreaterThanOrEqual(Date.parse(cloudEnd.toISOString().slice(0, 16) + ':00Z'));
  await expect(page.getByTestId('block-row')).toHaveCount(replanned.blocks.length);
  await shot(page, 'tonight-replanned');

  // A manual move into daylight is refused with its reason, then forced.
  const toMove = replanned.blocks.find((b) => b.kind === 'SCI' && b.status === 'planned')!;
  await page.locator(`[data-testid="block-row"]`, { hasText: toMove.name }).first().click();
  await page.getByTestId('move-input').fill('02:00');
  await page.getByTestId('move-button').click();
  await expect(page.getByTestId('override-refused')).toContainText('outside the night');
  await shot(page, 'tonight-override-refused');
  await page.getByTestId('override-force').click();
  await expect(page.getByTestId('override-refused')).toBeHidden();
  const forced = (await app.services.call('planner.latest', { night: NIGHT }))!;
  expect(forced.blocks.filter((b) => b.sequenceId === toMove.sequenceId).every((b) => b.isPinned && b.violations.length > 0)).toBe(true);

  await page.getByTestId('tab-strips').click();
  await expect(page.getByTestId('dec-strips').locator('[data-plotted="true"]')).toBeVisible({ timeout: 60_000 });
  const { bestStrip } = await app.services.call('planner.candidates', { night: NIGHT });
  await page.getByTestId('use-best-strip').click();
  await expect(page.getByTestId('strip-chip')).toContainText(`Dec ${bestStrip!.decMinDeg}…${bestStrip!.decMaxDeg}°`);
  await page.getByTestId('plan-stats').click();
  await page.keyboard.press('n');
  await expect(page.locator('html')).toHaveAttribute('data-theme-mode', 'night');
  await shot(page, 'tonight-night');

  // A calibrator marked bad (Calibrators screen's write path) makes the shown plan stale.
  const shown = (await app.services.call('planner.latest', { night: NIGHT }))!;
  const cal = shown.blocks.find((b) => b.kind === 'CAL' && b.status === 'planned')!;
  await app.services.call('calibrators.markBad', { name: cal.name, reason: 'e2e: binary', night: NIGHT });
  await expect(page.getByTestId('plan-stale')).toContainText('bad calibrators');
  await shot(page, 'tonight-stale-night');

  // Another configuration on the screen: the plan shown keeps its own, and says what changed.
  await expect(page.getByTestId('plan-config-changed')).toHaveCount(0);
  await page.getByTestId('config-input').fill('S1,E1,W1');
  await expect(page.getByTestId('plan-config-changed')).toContainText(`stations ${shown.config.stations.join(',')} → S1,E1,W1`);
  await page.getByTestId('config-input').fill(shown.config.stations.join(','));
  await expect(page.getByTestId('plan-config-changed')).toHaveCount(0);
});
