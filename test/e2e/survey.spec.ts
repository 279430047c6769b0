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
