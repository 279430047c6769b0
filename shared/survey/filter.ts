/** Filtering and sorting of survey summaries, shared by the service and tests. */
import type { TargetFilter, TargetSummary } from '../model/survey';

/** Whether `t` passes every condition of `f`. */
export function matchesFilter(t: TargetSummary, f: TargetFilter, textLower?: string): boolean {
  if (f.isDemo !== undefined && t.isDemo !== f.isDemo) return false;
  if (f.vmagMin !== undefined && !(t.vmag !== null && t.vmag >= f.vmagMin)) return false;
  if (f.vmagMax !== undefined && !(t.vmag !== null && t.vmag <= f.vmagMax)) return false;
  if (f.decMinDeg !== undefined && t.decDeg < f.decMinDeg) return false;
  if (f.decMaxDeg !== undefined && t.decDeg > f.decMaxDeg) return false;
  if (f.finalPriorities?.length && !(t.finalPriority !== null && f.finalPriorities.includes(t.finalPriority))) return false;
  if (f.modes?.length && !(t.mode !== null && f.modes.includes(t.mode))) return false;
  if (f.programmes?.length && !t.programmes.some((m) => f.programmes!.includes(m.programme))) return false;
  if (f.pis?.length && !t.programmes.some((m) => m.pi !== null && f.pis!.includes(m.pi))) return false;
  if (textLower) {
    const hay = `${t.name} ${t.spicadbId ?? ''} ${t.spType ?? ''} ${t.programmes.map((m) => `${m.programme} ${m.pi ?? ''} ${m.comments ?? ''}`).join(' ')}`.toLowerCase();
    if (!hay.includes(textLower)) return false;
  }
  return true;
}

type SortKey =
  | 'name' | 'raDeg' | 'decDeg' | 'vmag' | 'hmag' | 'spType' | 'mode' | 'programme'
  | 'completionRate' | 'finalPriority' | 'observationCount' | 'lastObservedNight';

function sortValue(t: TargetSummary, key: SortKey): string | number | null {
  if (key === 'programme') return t.programmes[0]?.programme ?? null;
  return t[key];
}

/** Sort summaries in place; nulls always last, ties broken by name for a stable order. */
export function sortSummaries(rows: TargetSummary[], key: SortKey, direction: 'asc' | 'desc'): TargetSummary[] {
  const sign = direction === 'asc' ? 1 : -1;
  return rows.sort((a, b) => {
    const va = sortValue(a, key);
    const vb = sortValue(b, key);
    if (va === null && vb === null) return a.name.localeCompare(b.name);
    if (va === null) return 1;
    if (vb === null) return -1;
    const c = typeof va === 'number' && typeof vb === 'number' ? va - vb : String(va).localeCompare(String(vb));
    return c !== 0 ? sign * c : a.name.localeCompare(b.name);
  });
}
