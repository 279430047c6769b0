/**
 * The Target view end to end: open a demo target from the Survey drawer, see its night
 * (elevation, per-baseline bars with reasons, best PoPs, uv), change the configuration and PoPs,
 * in the dark and the red night theme. Values on screen are compared with the same services
 * called over HTTP.
 */
import { expect, shot, test } from './fixtures';

test.use({ demoCount: 300 });
test.setTimeout(240_000);

test('shows a target night from the survey drawer and in the Target view', async ({ page, app }) => {
  const night = '2026-06-21';
  const { rows } = await app.services.call('survey.list', { filter: {}, sort: { key: 'name', direction: 'asc' } });
  // A target that transits high in June nights: RA near 18 h, Dec near +35°.
  const target = rows.reduce((best, r) =>
    Math.abs(r.raDeg - 270) + Math.abs(r.decDeg - 35) < Math.abs(best.raDeg - 270) + Math.abs(best.decDeg - 35) ? r : best,
  );
  const expected = await app.services.call('astro.targetNight', { targetId: target.id, night });

  await expect(page.getByTestId('survey-row').first()).toBeVisible();
  await page.getByTestId('filter-text').fill(target.name);
  await expect(page.getByTestId('survey-count')).toContainText('1 of 300 targets');
  await expect(page.getByTestId('survey-row').first()).toContainText(target.name);
  await page.getByTestId('survey-row').first().click();
  const drawer = page.getByRole('dialog');
  await expect(drawer).toContainText(target.name);
  await expect(drawer.getByTestId('target-night-panel')).toBeVisible();
  await expect(drawer.getByTestId('plot-observability-bars')).toHaveAttribute('data-plotted', 'true', { timeout: 60_000 });
  await shot(page, 'astro-drawer-panel');

  await drawer.getByRole('button', { name: 'Target view' }).click();
  await expect(page.getByTestId('target-screen')).toBeVisible();
  await page.getByTestId('night-input').fill(night);
  const panel = page.getByTestId('target-night-panel');
  await expect(panel).toContainText(`night of ${night}`);
  await expect(panel.getByTestId('observable-minutes')).toHaveText(`${expected.observableMin} min observable`, { timeout: 60_000 });
  await expect(panel.getByTestId('pops-used')).toContainText(expected.stations.map((s, i) => `${s}${expected.pops[i]}`).join(' '));
  await expect(page.getByTestId('plot-elevation')).toHaveAttribute('data-plotted', 'true', { timeout: 60_000 });
  await expect(page.getByTestId('plot-observability-bars')).toHaveAttribute('data-plotted', 'true', { timeout: 60_000 });
  await expect(page.getByTestId('plot-uv')).toHaveAttribute('data-plotted', 'true', { timeout: 60_000 });
  // The bars carry one row per baseline (15 for 6T) and the hover text names failing constraints.
  const rowLabels = await page.getByTestId('plot-observability-bars').locator('.ytick text').allTextContents();
  expect(rowLabels).toEqual(expect.arrayContaining(['S1-E1', 'E2-W2', 'horizon W1', 'observable']));
  await shot(page, 'astro-target-dark');
  await page.getByRole('switch', { name: 'every channel' }).check({ force: true });
  await page.getByTestId('plot-uv').scrollIntoViewIfNeeded();
  await expect(page.getByTestId('plot-uv').locator('.legendtext')).toHaveCount(15, { timeout: 60_000 });
  await shot(page, 'astro-uv');
  await page.getByRole('switch', { name: 'every channel' }).uncheck({ force: true });

  // Manual PoPs that close the night: every station on PoP1 leaves nothing in delay.
  await page.getByText('manual', { exact: true }).click();
  await page.getByTestId('pops-input').fill('111111');
  await expect(panel.getByTestId('observable-minutes')).toHaveText('0 min observable', { timeout: 60_000 });
  // The limiting constraint in words (#11): the delay lines, naming the baselines and the better PoPs.
  await expect(panel.getByTestId('intervals')).toContainText(/Not observable: out of the delay lines' reach with PoPs 111111 \(S1 S2 E1 E2 W1 W2\): [SEW][12]-[SEW][12][^:]* cannot reach it/);
  await expect(panel.getByTestId('intervals')).toContainText(/with the best PoPs \(\d{6}\) it is observable \d+ min/);
  await shot(page, 'astro-target-pop1');

  // A smaller configuration: 3 baselines only.
  for (const s of ['S1', 'E1', 'W1']) await page.getByTestId(`station-${s}`).click();
  await page.getByText('best', { exact: true }).click();
  const three = await app.services.call('astro.targetNight', { targetId: target.id, night, stations: ['S2', 'E2', 'W2'] });
  await expect(panel.getByTestId('observable-minutes')).toHaveText(`${three.observableMin} min observable`, { timeout: 60_000 });

  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press('n');
  await expect(page.locator('html')).toHaveAttribute('data-theme-mode', 'night');
  await expect(page.getByTestId('plot-elevation')).toHaveAttribute('data-plotted', 'true', { timeout: 60_000 });
  await shot(page, 'astro-target-night-theme');
});
