/**
 * Models end to end: the drawer shows a target's model (here the uniform-disk fallback, marked),
 * refuses a bad model naming the component and parameter, stores a binary locally; the Target
 * view then shows the uv plot coloured by V², V² and closure phase against spatial frequency and
 * the per-baseline "resolved enough?" verdicts, equal to the service's answer over HTTP. Dark and
 * night themes at 1600 and 1280 px.
 */
import { expect, shot, test } from './fixtures';

test.use({ demoCount: 300 });
test.setTimeout(240_000);

test('edits a model in the drawer and shows its predictions in the Target view', async ({ page, app }) => {
  const night = '2026-06-21';
  await page.setViewportSize({ width: 1600, height: 1000 });
  const { rows } = await app.services.call('survey.list', { filter: {}, sort: { key: 'name', direction: 'asc' } });
  // A name no other name contains, so the text filter leaves exactly this row.
  const unique = rows.filter((r) => rows.every((o) => o === r || !o.name.toLowerCase().includes(r.name.toLowerCase())));
  const target = unique.reduce((best, r) =>
    Math.abs(r.raDeg - 270) + Math.abs(r.decDeg - 35) < Math.abs(best.raDeg - 270) + Math.abs(best.decDeg - 35) ? r : best,
  );
  const before = await app.services.call('models.get', { targetId: target.id });

  await page.getByTestId('filter-text').fill(target.name);
  await expect(page.getByTestId('survey-row')).toHaveCount(1);
  await expect(page.getByTestId('survey-row').first()).toContainText(target.name);
  await page.getByTestId('survey-row').first().click();
  const drawer = page.getByRole('dialog');
  const panel = drawer.getByTestId('model-panel');
  await expect(panel).toBeVisible({ timeout: 30_000 });
  await expect(panel.getByTestId('model-source')).toHaveText(before.source === 'fallback-ldd' ? 'fallback: UD of the LDD' : before.source === 'fallback-predicted' ? 'fallback: UD of the predicted diameter' : /model/);
  await panel.scrollIntoViewIfNeeded();
  await shot(page, 'models-drawer-fallback-1600-dark');
  await panel.getByTestId('model-text').fill('[{"type":"disk","diameter":1.2},{"type":"elong_disk","minor_axis_diameter":1,"elong_ratio":0.6}]');
  await expect(panel).toContainText('component 2 (elong_disk): elong_ratio 0.6 is below 1');
  await expect(panel.getByTestId('model-save')).toBeDisabled();
  await panel.getByTestId('model-text').fill('[{"type":"disk","diameter":1.2},{"type":"punct","x":3.5,"y":-1.5,"flux_weight":0.25}]');
  await expect(panel.getByTestId('model-check-ok')).toBeVisible();
  await panel.getByTestId('model-save').click();
  await expect(panel.getByTestId('model-source')).toHaveText('local model');
  await expect(panel.getByTestId('model-components')).toContainText('punct');
  await panel.scrollIntoViewIfNeeded();
  await shot(page, 'models-drawer-1600-dark');
  const stored = await app.services.call('models.get', { targetId: target.id });
  expect(stored.source).toBe('local');

  await drawer.getByRole('button', { name: 'Target view' }).click();
  await page.getByTestId('night-input').fill(night);
  const predictions = page.getByTestId('model-predictions');
  await expect(predictions.getByTestId('prediction-model-source')).toHaveText('local model', { timeout: 60_000 });
  for (const id of ['plot-uv-vis2', 'plot-vis2-frequency', 'plot-closure-frequency']) {
    await expect(page.getByTestId(id)).toHaveAttribute('data-plotted', 'true', { timeout: 60_000 });
  }
  const expected = await app.services.call('models.predict', { targetId: target.id, night, maxChannels: 6, stepMin: 10 });
  await expect(predictions.getByTestId('resolved-table').locator('tbody tr')).toHaveCount(15);
  for (const v of expected.verdicts.slice(0, 4)) {
    await expect(predictions.getByTestId(`verdict-${v.baseline}`)).toContainText(v.vis2Lowest === null ? '—' : v.vis2Lowest.toFixed(3));
  }
  expect(expected.triangles.some((t) => t.closureDeg.some((c) => Math.abs(c) > 5 && Math.abs(c) < 175))).toBe(true);
  await predictions.scrollIntoViewIfNeeded();
  await shot(page, 'models-target-1600-dark');

  // Tighter bounds change the verdicts and are kept as a setting.
  await predictions.getByTestId('vis2-max').fill('0.5');
  await expect.poll(async () => (await app.services.call('settings.get', { key: 'models.vis2Bounds' })).value).toEqual({ vis2Min: 0.05, vis2Max: 0.5 });

  await page.setViewportSize({ width: 1280, height: 900 });
  await predictions.scrollIntoViewIfNeeded();
  await shot(page, 'models-target-1280-dark');
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press('n');
  await expect(page.locator('html')).toHaveAttribute('data-theme-mode', 'night');
  await expect(page.getByTestId('plot-uv-vis2')).toHaveAttribute('data-plotted', 'true', { timeout: 60_000 });
  await predictions.scrollIntoViewIfNeeded();
  await shot(page, 'models-target-1280-night');
  await page.setViewportSize({ width: 1600, height: 1000 });
  await predictions.scrollIntoViewIfNeeded();
  await shot(page, 'models-target-1600-night');
});
