/**
 * "Send to ASPRO2" never drops targets silently (issue #11: "From the Survey it silently sends only
 * the first 500 rows"). With the 3000-target demo survey, the Survey's and the SAMP screen's dialogs
 * say how many match, how many one send carries and how many are left out; under the limit they say
 * nothing of it; and the contract refuses a longer list with an error naming it, rather than cutting it.
 */
import { ASPRO2_MAX_TARGETS } from '../../shared/votable/aspro2-limits';
import { expect, test } from './fixtures';

test('the Survey and the SAMP screen state the ASPRO2 send limit in the dialog', async ({ page, app }) => {
  const all = (await app.services.call('survey.list', { filter: {} })).rows;
  expect(all.length).toBe(3000);
  expect(all.length).toBeGreaterThan(ASPRO2_MAX_TARGETS);
  const left = all.length - ASPRO2_MAX_TARGETS;

  // Survey, every target shown.
  await expect(page.getByTestId('survey-count')).toContainText('3000 of 3000 targets');
  await page.getByTestId('send-aspro2').click();
  const dialog = page.getByTestId('send-aspro2-modal');
  await expect(dialog.getByTestId('send-count')).toContainText(`${ASPRO2_MAX_TARGETS} targets`);
  await expect(dialog.getByTestId('send-limit')).toHaveText(
    `3000 targets match, and one send carries at most ${ASPRO2_MAX_TARGETS}: these are the first ${ASPRO2_MAX_TARGETS} in the list's order; the other ${left} are not sent. Narrow the filters to choose which.`,
  );
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  // Narrowed below the limit: every shown target is sent, and no limit is mentioned.
  await page.getByTestId('filter-priority').getByText('P1').click();
  const p1 = (await app.services.call('survey.list', { filter: { finalPriorities: [1] } })).rows.length;
  expect(p1).toBeLessThan(ASPRO2_MAX_TARGETS);
  await expect(page.getByTestId('survey-count')).toContainText(`${p1} of 3000 targets`);
  await page.getByTestId('send-aspro2').click();
  await expect(dialog.getByTestId('send-count')).toContainText(`${p1} target`);
  await expect(dialog.getByTestId('send-limit')).toHaveCount(0);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  // The SAMP screen's send card: no hidden cut at 200 any more; the same limit, said twice.
  await page.getByTestId('nav-samp').click();
  await expect(page.getByTestId('samp-send-count')).toHaveText(`3000 targets match; one send carries the first ${ASPRO2_MAX_TARGETS}`);
  await page.getByTestId('samp-send').getByTestId('send-aspro2').click();
  await expect(dialog.getByTestId('send-count')).toContainText(`${ASPRO2_MAX_TARGETS} targets`);
  await expect(dialog.getByTestId('send-limit')).toContainText(`the other ${left} are not sent`);
  await page.keyboard.press('Escape');
  await page.getByTestId('samp-send-filter').fill('HD 1');
  const hd1 = (await app.services.call('survey.list', { filter: { text: 'HD 1' } })).rows.length;
  await expect(page.getByTestId('samp-send-count')).toHaveText(`${hd1} targets match`);

  // The service never cuts a longer list: it refuses it, naming the parameter.
  const ids = all.slice(0, ASPRO2_MAX_TARGETS + 1).map((t) => t.id);
  await expect(app.services.call('samp.sendTargets', { targetIds: ids, night: '2026-05-15', configuration: 'S1 S2 W1 W2 E1 E2', includeCalibrators: false })).rejects.toThrow(/targetIds/);
});
