/**
 * The planner's CSV target list (the bench's `targets.csv`: name, ra_deg, dec_deg, priority with
 * 1 = most important, and optional programme, pi, vmag, pi_priority, completion).
 */
import Papa from 'papaparse';
import type { TargetMeta } from './night-input';

/** A CSV target: scheduler metadata plus the labels the CSV carries. */
export interface CsvTarget extends TargetMeta {
  programme: string | null;
  pi: string | null;
}

/** Parse the CSV text; throws naming the line and column of the first bad value. */
export function parseTargetsCsv(text: string, source = 'targets CSV'): CsvTarget[] {
  const parsed = Papa.parse<Record<string, string>>(text.trim(), { header: true, skipEmptyLines: true });
  const fields = parsed.meta.fields ?? [];
  for (const need of ['name', 'ra_deg', 'dec_deg']) {
    if (!fields.includes(need)) throw new Error(`${source}: missing column "${need}" (have ${fields.join(', ')})`);
  }
  return parsed.data.map((row, i) => {
    const line = i + 2;
    const num = (col: string, fallback?: number): number => {
      const raw = row[col];
      if ((raw === undefined || raw === '') && fallback !== undefined) return fallback;
      const v = Number(raw);
      if (raw === undefined || raw === '' || !Number.isFinite(v)) throw new Error(`${source} line ${line}: ${col} "${raw ?? ''}" is not a number`);
      return v;
    };
    const name = (row.name ?? '').trim();
    if (!name) throw new Error(`${source} line ${line}: empty name`);
    const completion = num('completion', 0);
    const vmag = row.vmag === undefined || row.vmag === '' ? null : num('vmag');
    return {
      key: name,
      name,
      raDeg: num('ra_deg'),
      decDeg: num('dec_deg'),
      vmag,
      finalPriority: num('priority', 3),
      piPriority: num('pi_priority', 0),
      isStarted: completion > 0 && completion < 1,
      preferredHaH: null,
      programme: row.programme || null,
      pi: row.pi || null,
    };
  });
}
