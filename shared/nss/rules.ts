/**
 * The NSS (Night Scheduling Software, spica-nss v2025-09) completion and priority rules, as
 * described in ../shared/docs/aspro2-chara.md §4.3. Lower final priority = observe first.
 */

/** SPICA observing modes as SPICA-DB spells them. */
export const SPICA_MODES = ['DIA', 'DLD', 'IMA', 'TMP', 'SPI'] as const;
export type SpicaMode = (typeof SPICA_MODES)[number];

/** Completion gained by one validated observation, per mode. */
export const COMPLETION_INCREMENT: Record<SpicaMode, number> = {
  DIA: 0.5,
  DLD: 0.25,
  IMA: 0.1,
  TMP: 0.1,
  SPI: 0.2,
};

/** NSS completion flag: 1 sufficiently completed, 2 partially, 3 not started (or SPI). */
export type CompletionFlag = 1 | 2 | 3;

/** Whether `mode` is one of the five SPICA modes. */
export function isSpicaMode(mode: string | null | undefined): mode is SpicaMode {
  return mode !== null && mode !== undefined && (SPICA_MODES as readonly string[]).includes(mode);
}

/** Completion rate after one more validated observation in `mode`, capped at 1. */
export function completionAfterObservation(rate: number, mode: SpicaMode): number {
  return Math.min(1, Math.round((rate + COMPLETION_INCREMENT[mode]) * 1e6) / 1e6);
}

/** NSS `update_flag_completion`: the flag of a completion rate in a mode. */
export function completionFlag(rate: number, mode: SpicaMode): CompletionFlag {
  if (!(rate > 0)) return 3;
  switch (mode) {
    case 'DIA':
      return 1;
    case 'SPI':
      return 3;
    case 'DLD':
    case 'IMA':
    case 'TMP':
      return rate >= 0.5 ? 1 : 2;
  }
}

/** NSS `update_priority_final`: final priority 1–3 of a target in one programme. */
export function finalPriorityOneProgramme(flag: CompletionFlag, piPriority: number): 1 | 2 | 3 {
  if (flag === 1) return 1;
  if (flag === 2) return piPriority === 0 ? 1 : 2;
  return 3;
}

/**
 * NSS `update_priority_final2`: final priority 1–4 when a second programme may share the target.
 * A target wanted by a second programme is lifted to 2 even when its first PI ranked it low.
 */
export function finalPriorityTwoProgrammes(
  flag: CompletionFlag,
  piPriority: number,
  hasSecondProgramme: boolean,
): 1 | 2 | 3 | 4 {
  if (flag === 1) return 1;
  if (piPriority === 0) return flag === 2 ? 1 : 2;
  if (hasSecondProgramme) return 2;
  return flag === 2 ? 3 : 4;
}

/** What the rules need to know of a target. */
export interface NssInput {
  completionRate: number;
  mode: string | null;
  /** PI priority of the first programme (0 high, 1 low); null when the target has no programme. */
  piPriority: number | null;
  /** Number of programmes the target belongs to. */
  programmeCount: number;
}

/** Final priority of a target: one-programme rule, or the two-programme rule when shared. */
export function finalPriority(input: NssInput): 1 | 2 | 3 | 4 {
  const mode: SpicaMode = isSpicaMode(input.mode) ? input.mode : 'DIA';
  const flag = completionFlag(input.completionRate, mode);
  const piPriority = input.piPriority ?? 1;
  if (input.programmeCount >= 2) return finalPriorityTwoProgrammes(flag, piPriority, true);
  return finalPriorityOneProgramme(flag, piPriority);
}
