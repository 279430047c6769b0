/**
 * The Calibrators table fits the window (issue #11, Layout): at 1600 and 1280 px, in the dark and
 * the red theme, every row's actions (Assign, ⋯) lie wholly inside the viewport and inside the
 * table's scroll box, and neither the table's box nor the page hides content behind a horizontal
 * scroll (scrollWidth ≤ clientWidth + 1), nor cuts a cell's text. A bright star of the demo survey gives a full table.
 */
import type { Page } from '@playwright/test';
import { expect, shot, test } from './fixtures';
import { setTheme } from './night-setup';

const NIGHT = '2026-05-15';

test.use({ demoCount: 200 });

/** Every element from the candidate table up to the page whose content is wider than its box, with its overflow-x. */
async function hiddenOverflow(page: Page): Promise<string[]> {
  return page.getByTestId('candidate-table').evaluate((table) => {
    const out: string[] = [];
    for (let e: HTMLElement | null = table as HTMLElement; e; e = e.parentElement) {
      if (e.scrollWidth > e.clientWidth + 1) out.push(`${e.tagName.toLowerCase()}.${e.className.toString().slice(0, 40)} ${e.scrollWidth}/${e.clientWidth} overflow-x ${getComputedStyle(e).overflowX}`);
    }
    // Text cut inside the table (a badge shrunk to "assi…", a clipped cell).
    for (const e of table.querySelectorAll<HTMLElement>('td *, th *')) {
      const style = getComputedStyle(e);
      if (e.scrollWidth > e.clientWidth + 1 && style.overflowX !== 'visible' && e.textContent!.trim()) out.push(`cut ${e.tagName.toLowerCase()} "${e.textContent!.trim().slice(0, 30)}" ${e.scrollWidth}/${e.clientWidth}`);
    }
    const d = document.documentElement;
    if (d.scrollWidth > window.innerWidth + 1) out.push(`document ${d.scrollWidth}/${window.innerWidth}`);
    return out;
  });
}

/** Actions of every row lying outside the viewport (or outside the table's scroll box). */
async function cutActions(page: Page): Promise<string[]> {
  return page.getByTestId('candidate-table').evaluate((table) => {
    const out: string[] = [];
    let box: DOMRect = new DOMRect(0, 0, window.innerWidth, window.innerHeight);
    for (let e = table.parentElement; e; e = e.parentElement) {
      if (getComputedStyle(e).overflowX !== 'visible') {
        box = e.getBoundingClientRect();
        break;
      }
    }
    const right = Math.min(window.innerWidth, box.right);
    const left = Math.max(0, box.left);
    for (const b of table.querySelectorAll<HTMLElement>('[data-testid^="assign-"], [data-testid^="unassign-"], [data-testid^="actions-"]')) {
      const r = b.getBoundingClientRect();
      if (r.width === 0 || r.left < left - 0.5 || r.right > right + 0.5) out.push(`${b.dataset.testid} ${Math.round(r.left)}–${Math.round(r.right)} of ${Math.round(left)}–${Math.round(right)}`);
    }
    return out;
  });
}

test('the calibrator table fits at 1600 and 1280 px: actions inside the window, no hidden horizontal scroll', async ({ page, app }) => {
  test.setTimeout(240_000);
  // A bright demo star high in the May night sky with a full candidate table (the first of the
  // brightest such stars whose proposal lists at least eight candidates).
  const rows = (await app.services.call('survey.list', { filter: {}, sort: { key: 'vmag', direction: 'asc' } })).rows
    .filter((t) => t.raDeg > 200 && t.raDeg < 300 && t.decDeg > -10 && t.decDeg < 60);
  let star: (typeof rows)[number] | undefined;
  for (const t of rows.slice(0, 12)) {
    const p = await app.services.call('calibrators.propose', { targetId: t.id, night: NIGHT });
    if (p.candidates.length >= 8) {
      star = t;
      break;
    }
  }
  if (!star) throw new Error('no bright demo star in May with eight calibrator candidates');
  await page.getByRole('dialog', { name: 'Import finished' }).waitFor({ state: 'visible', timeout: 3_000 }).then(() => page.keyboard.press('Escape'), () => undefined);
  await page.getByTestId('nav-calibrators').click();
  await page.getByTestId('calibrators-screen').getByLabel('Night (evening date)').fill(NIGHT);
  await page.getByTestId('calibrators-target-select').fill(star.name);
  await page.getByRole('option', { name: star.name, exact: true }).click();
  await expect(page.getByTestId('candidate-row').nth(7)).toBeVisible({ timeout: 90_000 });
  await expect(page.getByTestId('observable').first()).toBeVisible({ timeout: 60_000 });

  for (const [width, height] of [[1600, 1000], [1280, 800]] as const) {
    await page.setViewportSize({ width, height });
    for (const theme of ['dark', 'night'] as const) {
      await setTheme(page, theme);
      await page.waitForTimeout(300);
      await shot(page, `calibrators-layout-${theme}-${width}`);
      expect(await hiddenOverflow(page), `hidden horizontal overflow at ${width} px (${theme})`).toEqual([]);
      expect(await cutActions(page), `actions cut at ${width} px (${theme})`).toEqual([]);
      const n = await page.getByTestId('candidate-row').count();
      expect(n).toBeGreaterThanOrEqual(8);
    }
  }

  // The widest row: pinned and assigned (badge, pin mark, Unassign instead of Assign), still at 1280 px.
  await page.getByTestId('actions-1').click();
  await page.getByRole('menuitem', { name: /^Pin/ }).click();
  await expect(page.getByTestId('candidate-row').first().getByTestId('assigned-badge')).toBeVisible();
  await expect(page.getByTestId('unassign-1')).toBeVisible();
  await shot(page, 'calibrators-layout-assigned-night-1280');
  expect(await hiddenOverflow(page), 'hidden horizontal overflow with an assigned, pinned row').toEqual([]);
  expect(await cutActions(page), 'actions cut with an assigned, pinned row').toEqual([]);
});
