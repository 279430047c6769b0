/**
 * The NSS (Night Scheduling Software, dsalabert/spica-nss v2025-09) completion and priority rules,
 * as nss.py runs them (../shared/docs/aspro2-chara.md §4.3, corrected against nss.py):
 *
 * - `dbquery_tap` replaces a NULL (masked) completion rate or PI priority by the masked element's
 *   data, which astropy gives as 0: NULL completion counts as 0 (not started) and NULL PI priority
 *   as 0 (high).
 * - `onQuery` keeps only targets with `completion_rate < 1` and ranks **every** target with
 *   `update_priority_final2`; the one-programme rule `update_priority_final` is never called, and
 *   final2's "second programme" rule never fires (it compares a string column with `True`).
 * - Only the modes of NSS's mode checkboxes (`self.InstMode`) can be selected; a target in another
 *   mode is never shown, so it is unranked here.
 *
 * test/unit/survey/nss-rules.test.ts checks every function against a table produced by nss.py's
 * own functions (test/fixtures/nss). Lower final priority = observe first.
 */

/** SPICA observing modes as SPICA-DB spells them: NSS's mode checkboxes (`self.InstMode`). */
export const SPICA_MODES = ['DIA', 'DLD', 'IMA', 'TMP', 'SPI'] as const;
export type SpicaMode = (typeof SPICA_MODES)[number];

/** Completion gained by one validated observation, per mode (`update_completion_rate`). */
export const COMPLETION_INCREMENT: Record<SpicaMode, number> = {
  DIA: 0.5,
  DLD: 0.25,
  IMA: 0.1,
  TMP: 0.1,
  SPI: 0.2,
};

/** NSS completion flag: 1 sufficiently completed, 2 partially, 3 not started (or SPI). */
export type CompletionFlag = 1 | 2 | 3;

/** NSS final priority: 1 observe first … 4 last. */
export type FinalPriority = 1 | 2 | 3 | 4;

/** Whether `mode` is one of the five SPICA modes. */
export function isSpicaMode(mode: string | null | undefined): mode is SpicaMode {
  return mode !== null && mode !== undefined && (SPICA_MODES as readonly string[]).includes(mode);
}

/** Float sums like 0.1 + 0.1 + 0.1 are kept to 1e-9 so that stored rates read as typed. */
function roundRate(rate: number): number {
  return Math.round(rate * 1e9) / 1e9;
}

/**
 * NSS `update_completion_rate`: the rate after one more validated observation. Not capped at 1:
 * NSS adds while the rate is below 1 (real rows hold 1.05–1.45) and leaves it alone from 1 on.
 * A NULL rate counts as 0; a mode NSS does not know adds nothing.
 */
export function completionAfterObservation(rate: number | null, mode: string | null): number {
  const r = rate ?? 0;
  if (!(r < 1) || !isSpicaMode(mode)) return r;
  return roundRate(r + COMPLETION_INCREMENT[mode]);
}

/**
 * NSS `update_flag_completion` after `dbquery_tap`'s NULL → 0: null where NSS gives no flag (a mode
 * it does not know with a started rate; negative rates).
 */
export function completionFlag(rate: number | null, mode: string | null): CompletionFlag | null {
  const r = rate ?? 0;
  let flag: CompletionFlag | null = null;
  const isStepped = mode === 'DLD' || mode === 'IMA' || mode === 'TMP';
  if (mode === 'DIA' && r > 0) flag = 1;
  if (isStepped && r >= 0.5) flag = 1;
  if (isStepped && r > 0 && r < 0.5) flag = 2;
  if (r === 0) flag = 3;
  if (mode === 'SPI') flag = 3;
  return flag;
}

/**
 * NSS `update_priority_final2` as it runs (its second-programme rule never fires): flag 1 → 1;
 * (2, PI 0) → 1; (3, PI 0) → 2; (2, PI 1) → 3; (3, PI 1) → 4. A NULL PI priority counts as 0; any
 * other combination has no priority (NSS would fail to store it).
 */
export function finalPriorityFromFlag(flag: CompletionFlag | null, piPriority: number | null): FinalPriority | null {
  const pi = piPriority ?? 0;
  if (flag === 1) return 1;
  if (flag === 2 && pi === 0) return 1;
  if (flag === 3 && pi === 0) return 2;
  if (flag === 2 && pi === 1) return 3;
  if (flag === 3 && pi === 1) return 4;
  return null;
}

/** What the rules need to know of a target. */
export interface NssInput {
  /** SPICA-DB `completion_rate`; null when the database has none (NSS: 0). */
  completionRate: number | null;
  mode: string | null;
  /** PI priority of the first programme (0 high, 1 low); null when unknown (NSS: 0). */
  piPriority: number | null;
}

/**
 * Final priority of a target as NSS ranks it, or null (unranked) for a mode NSS cannot select or
 * a combination it cannot rank.
 */
export function finalPriority(input: NssInput): FinalPriority | null {
  if (!isSpicaMode(input.mode)) return null;
  return finalPriorityFromFlag(completionFlag(input.completionRate, input.mode), input.piPriority);
}

/** Whether NSS's query keeps the target (`completion_rate < 1`, NULL counting as 0). */
export function isSelectableByCompletion(completionRate: number | null): boolean {
  return (completionRate ?? 0) < 1;
}
