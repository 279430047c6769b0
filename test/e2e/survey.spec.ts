/**
 * The Survey screen end to end: demo survey on screen, import a SPICA-DB VOTable through the UI,
 * a refused file leaves the store unchanged, filters, target drawer, night theme.
 */
import { join } from 'node:path';
import { expect, shot, test } from './fixtures';

const FIXTURES = join(import.meta.dirname, '../fixtures/survey');

test('shows the demo survey, filters it and opens a target', async ({ page, app }) => {
  await expect(page.getByTestId('survey-count')).toContainText('3000 of 3000 targets');
  await expect(page.getByTestId('survey-row').first()).toBeVisible();
  await shot(page, 'survey-dark');

  await page.getByTestId('filter-text').fill('HD 2');
  await expect(page.getByTestId('survey-count')).not.toContainText('3000 of 3000');
  const { rows } = await app.services.call('survey.list', { filter: { text: 'HD 2' } });
  await expect(page.getByTestId('survey-count')).toContainText(`${rows.length} of 3000 targets`);

  await page.getByTestId('filter-text').fill('');
  await page.getByTestId('filter-priority').getByText('P1').click();
  const p1 = await app.services.call('survey.list', { filter: { finalPriorities: [1] } });
  await expect(page.getByTestId('survey-count')).toContainText(`${p1.rows.length} of 3000 targets`);

  await page.getByTestId('sort-vmag').click();
  const firstName = (await app.services.call('survey.list', { filter: { finalPriorities: [1] }, sort: { key: 'vmag', direction: 'asc' } })).rows[0].name;
  await expect(page.getByTestId('survey-row').first()).toContainText(firstName);

  await page.getByTestId('survey-row').first().click();
  const drawer = page.getByRole('dialog');
  await expect(drawer).toContainText(firstName);
  await expect(drawer).toContainText('Programmes');
  await expect(drawer).toContainText('Observing log');
  await shot(page, 'survey-drawer');
  await page.keyboard.press('Escape');
  await expect(drawer).toBeHidden();

  await page.keyboard.press('n');
  await expect(page.locator('html')).toHaveAttribute('data-theme-mode', 'night');
  await shot(page, 'survey-night');
  await page.keyboard.press('n');
  await expect(page.locator('html')).toHaveAttribute('data-theme-mode', 'dark');
});

test.describe('import', () => {
  test.use({ demoCount: 0 });

  test('imports the SPICA-DB sample VOTable through the UI, then re-imports without duplicates', async ({ page, app }) => {
    await expect(page.getByTestId('survey-count')).toContainText('0 of 0 targets');
    const chooser = page.waitForEvent('filechooser');
    await page.getByTestId('import-button').click();
    await (await chooser).setFiles(join(FIXTURES, 'spicadb_partial_wp5.vot'));
    await expect(page.getByRole('dialog', { name: 'Import finished' })).toBeVisible();
    await expect(page.getByTestId('import-added')).toHaveText('42 added');
    await shot(page, 'survey-import-report');
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('survey-count')).toContainText('42 of 42 targets');

    const again = page.waitForEvent('filechooser');
    await page.getByTestId('import-button').click();
    await (await again).setFiles(join(FIXTURES, 'spicadb_partial_wp5.vot'));
    await expect(page.getByTestId('import-added')).toHaveText('0 added');
    await page.keyboard.press('Escape');
    expect((await app.services.call('survey.list', { filter: {} })).total).toBe(42);
  });

  test('refuses a truncated file by drag-and-drop and keeps the store unchanged', async ({ page, app }) => {
    await app.services.call('survey.import', { fileName: 'a.vot', path: join(FIXTURES, 'Aspro2_exported_targets.vot') });
    await page.reload();
    await expect(page.getByTestId('survey-count')).toContainText('3 of 3 targets');
    const content = (await import('node:fs')).readFileSync(join(FIXTURES, 'truncated_spicadb.vot'), 'utf8');
    const dataTransfer = await page.evaluateHandle((text) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], 'truncated_spicadb.vot', { type: 'application/xml' }));
      return dt;
    }, content);
    await page.dispatchEvent('body', 'dragenter', { dataTransfer });
    await page.dispatchEvent('body', 'drop', { dataTransfer });
    await expect(page.getByTestId('import-error')).toContainText(/truncated_spicadb.vot: line \d+, column \d+: TABLEDATA is not closed/);
    await expect(page.getByTestId('import-error')).toContainText('the survey is unchanged');
    await shot(page, 'survey-import-refused');
    expect((await app.services.call('survey.list', { filter: {} })).total).toBe(3);
  });
});

test.describe('undo and history', () => {
  test.use({ demoCount: 200 });

  test('"Remove demo data" asks first, then Undo brings every demo target back', async ({ page, app }) => {
    await expect(page.getByTestId('survey-count')).toContainText('200 of 200 targets');
    await page.getByRole('button', { name: 'More' }).click();
    await page.getByTestId('demo-remove').click();
    const confirm = page.getByRole('dialog', { name: 'Remove demo data?' });
    await expect(confirm).toContainText('removes the 200 demo targets');
    await shot(page, 'survey-demo-remove-confirm');
    await confirm.getByRole('button', { name: 'Keep them' }).click();
    expect((await app.services.call('survey.list', { filter: {} })).total).toBe(200);

    await page.getByRole('button', { name: 'More' }).click();
    await page.getByTestId('demo-remove').click();
    await page.getByTestId('demo-remove-yes').click();
    await expect(page.getByTestId('survey-count')).toContainText('0 of 0 targets');
    await page.getByTestId('undo-button').click();
    await expect(page.getByTestId('survey-count')).toContainText('200 of 200 targets');
  });

  test('deletes a target from its drawer (observations kept) and undoes it', async ({ page, app }) => {
    const observed = (await app.services.call('survey.list', { filter: {}, sort: { key: 'observationCount', direction: 'desc' } })).rows[0];
    await page.getByTestId('filter-text').fill(observed.name);
    await expect(page.getByTestId('survey-row').first()).toContainText(observed.name);
    await page.getByTestId('survey-row').first().click();
    const drawer = page.getByTestId('target-drawer');
    await drawer.getByTestId('delete-target').click();
    await expect(drawer.getByTestId('delete-target-confirm')).toContainText(`Delete ${observed.name} from the survey?`);
    await shot(page, 'survey-delete-confirm');
    await drawer.getByTestId('delete-target-yes').click();
    await expect(page.getByText(`${observed.name} deleted (its ${observed.observationCount} observations are kept)`)).toBeVisible();
    expect((await app.services.call('survey.list', { filter: {} })).total).toBe(199);
    await page.getByTestId('undo-button').click();
    await expect.poll(async () => (await app.services.call('survey.list', { filter: {} })).total).toBe(200);
    const back = await app.services.call('survey.get', { id: observed.id });
    expect(back.observations).toHaveLength(observed.observationCount);
  });

  test('imports the SPICA-DB sample over the demo: demo twins kept apart, the import listed and reverted from history', async ({ page, app }) => {
    const chooser = page.waitForEvent('filechooser');
    await page.getByTestId('import-button').click();
    await (await chooser).setFiles(join(FIXTURES, 'spicadb_partial_wp5.vot'));
    const report = page.getByRole('dialog', { name: 'Import finished' });
    await expect(report.getByTestId('import-added')).toHaveText('42 added');
    await expect(report.getByTestId('import-updated')).toHaveText('0 updated');
    await shot(page, 'survey-import-over-demo');
    await report.getByRole('button', { name: 'Close' }).click();
    await expect(page.getByTestId('survey-count')).toContainText('242 of 242 targets');

    await page.getByRole('button', { name: 'More' }).click();
    await page.getByTestId('import-history-open').click();
    const history = page.getByTestId('import-history');
    await expect(history.getByTestId('history-row').first()).toContainText('spicadb_partial_wp5.vot');
    await history.getByTestId('history-revert').first().click();
    await shot(page, 'survey-import-history');
    await history.getByTestId('history-revert-confirm').click();
    await expect(history.getByTestId('history-row').first()).toContainText('Revert of spicadb_partial_wp5.vot');
    await expect(page.getByTestId('survey-count')).toContainText('200 of 200 targets');
    const imports = await app.services.call('survey.batches.list', { kinds: ['import'] });
    expect(imports.map((b) => [b.file, b.reverted])).toEqual([['spicadb_partial_wp5.vot', true]]);
  });
});

test.describe('undo and history in the dark and red themes', () => {
  test.use({ demoCount: 50 });

  test('import report, history and the demo-removal question at 1600 and 1280 px, dark and night', async ({ page, app }) => {
    await app.services.call('survey.import', { fileName: 'mine.csv', content: 'name,ra_deg,dec_deg\nHD 75632A,133.853305,70.794313\n' });
    // Every window hears of every import: close that report first.
    await page.getByRole('dialog', { name: 'Import finished' }).getByRole('button', { name: 'Close' }).click();
    let round = 0;
    for (const width of [1600, 1280]) {
      await page.setViewportSize({ width, height: width === 1600 ? 1000 : 800 });
      for (const mode of ['dark', 'night']) {
        if ((await page.locator('html').getAttribute('data-theme-mode')) !== mode) await page.keyboard.press('n');
        await expect(page.locator('html')).toHaveAttribute('data-theme-mode', mode);
        const chooser = page.waitForEvent('filechooser');
        await page.getByTestId('import-button').click();
        round++;
        const csv = `name,ra_deg,dec_deg,vmag\nHD 75632A,133.85331,70.79431,${8 + round / 10}\nalf Sco,247.35191,-26.432,0.9\n`;
        await (await chooser).setFiles({ name: `update-${round}.csv`, mimeType: 'text/csv', buffer: Buffer.from(csv) });
        const report = page.getByRole('dialog', { name: 'Import finished' });
        await expect(report.getByTestId('import-matches')).toContainText('position (0');
        await shot(page, `survey-import-report-${mode}-${width}`);
        await report.getByRole('button', { name: 'Close' }).click();
        await page.getByRole('button', { name: 'More' }).click();
        await page.getByTestId('import-history-open').click();
        await expect(page.getByTestId('history-row').first()).toContainText(`update-${round}.csv`);
        await shot(page, `survey-import-history-${mode}-${width}`);
        await page.keyboard.press('Escape');
        await page.getByRole('button', { name: 'More' }).click();
        await page.getByTestId('demo-remove').click();
        await expect(page.getByRole('dialog', { name: 'Remove demo data?' })).toBeVisible();
        await shot(page, `survey-demo-remove-${mode}-${width}`);
        await page.getByRole('button', { name: 'Keep them' }).click();
      }
    }
  });
});

test.describe('progress', () => {
  test.use({ demoCount: 0 });

  test('shows "Writing n / N" while a 15 000-row import is written', async ({ page, app }) => {
    const lines = ['name,ra_deg,dec_deg,vmag,progname,piname,priority_pi'];
    for (let i = 0; i < 15_000; i++) lines.push(`P ${i},${((i * 0.024) % 360).toFixed(5)},${(-25 + (i % 110)).toFixed(3)},7,S0${(i % 8) + 1},PI ${i % 7},${i % 2}`);
    const file = join(app.dataDir, 'big.csv');
    (await import('node:fs')).writeFileSync(file, `${lines.join('\n')}\n`);
    const chooser = page.waitForEvent('filechooser');
    await page.getByTestId('import-button').click();
    await (await chooser).setFiles(file);
    await expect(page.getByTestId('import-progress')).toContainText(/Writing [1-9]\d* \/ 15000/);
    await shot(page, 'survey-import-progress');
    await expect(page.getByTestId('import-added')).toHaveText('15000 added', { timeout: 60_000 });
  });
});
