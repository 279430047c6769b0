import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  completionAfterObservation,
  completionFlag,
  finalPriority,
  isSelectableByCompletion,
} from '../../../shared/nss/rules';

// Expected values: test/fixtures/nss/nss_rank_table.csv, produced by nss.py's own functions run on
// astropy-parsed NULLs (see PROVENANCE.md there), for every combination of mode, completion, PI
// priority and second programme.
interface NssRow {
  mode: string | null;
  rate: number | null;
  pi: number | null;
  programme2: string | null;
  selected: boolean;
  modeSelectable: boolean;
  flag: number | null;
  priority: number | null;
  after: number;
}

const rows: NssRow[] = readFileSync(new URL('../../fixtures/nss/nss_rank_table.csv', import.meta.url), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => {
    const [mode, rate, pi, programme2, selected, modeSelectable, flag, priority, after] = line.split(',');
    const num = (s: string) => (s === '' ? null : Number(s));
    return {
      mode: mode === '' ? null : mode,
      rate: num(rate),
      pi: num(pi),
      programme2: programme2 === '' ? null : programme2,
      selected: selected === '1',
      modeSelectable: modeSelectable === '1',
      flag: num(flag),
      priority: num(priority),
      after: Number(after),
    };
  });

const label = (r: NssRow) => `mode ${r.mode ?? 'NULL'}, completion ${r.rate ?? 'NULL'}, PI ${r.pi ?? 'NULL'}, prog2 ${r.programme2 ?? 'NULL'}`;

describe('NSS rules against nss.py', () => {
  it('covers every combination, NULLs, unknown modes and completion above 1', () => {
    expect(rows).toHaveLength(462);
    expect(rows.some((r) => r.rate === null) && rows.some((r) => r.pi === null) && rows.some((r) => r.mode === 'XYZ')).toBe(true);
    expect(rows.some((r) => (r.rate ?? 0) > 1)).toBe(true);
  });

  it('completion flag (update_flag_completion) for every row', () => {
    const wrong = rows.filter((r) => completionFlag(r.rate, r.mode) !== r.flag).map(label);
    expect(wrong).toEqual([]);
  });

  it('final priority (update_priority_final2) for every row NSS can select; unranked otherwise', () => {
    const wrong = rows
      .filter((r) => finalPriority({ completionRate: r.rate, mode: r.mode, piPriority: r.pi }) !== (r.modeSelectable ? r.priority : null))
      .map(label);
    expect(wrong).toEqual([]);
  });

  it("a mode outside NSS's checkboxes is unranked even where nss.py's functions give a number", () => {
    const unknown = rows.filter((r) => !r.modeSelectable);
    expect(unknown.some((r) => r.priority !== null)).toBe(true);
    expect(unknown.every((r) => finalPriority({ completionRate: r.rate, mode: r.mode, piPriority: r.pi }) === null)).toBe(true);
  });

  it('the completion < 1 selection, NULL counting as 0', () => {
    const wrong = rows.filter((r) => isSelectableByCompletion(r.rate) !== r.selected).map(label);
    expect(wrong).toEqual([]);
  });

  it('completion after one observation (update_completion_rate), not capped at 1', () => {
    const wrong = rows.filter((r) => Math.abs(completionAfterObservation(r.rate, r.mode) - r.after) > 1e-9).map(label);
    expect(wrong).toEqual([]);
    expect(completionAfterObservation(0.95, 'DIA')).toBeCloseTo(1.45, 12);
  });

  it('adds without floating-point drift', () => {
    let rate = 0;
    for (let i = 0; i < 3; i++) rate = completionAfterObservation(rate, 'IMA');
    expect(rate).toBe(0.3);
  });
});
