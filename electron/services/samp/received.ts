/**
 * What the service does with what peers send: a table becomes an import preview (through the
 * survey's own import parser) until the user accepts it; a sky position is matched to the
 * nearest survey target.
 */
import { ApiError } from '../../../shared/contract/define';
import type { SampTablePreview } from '../../../shared/contract/samp';
import type { ImportReport } from '../../../shared/model/survey';
import { parseImport } from '../../../shared/survey/import-rows';
import { importTargets, separationArcsec } from '../../db/repos/targets';
import type { Store } from '../../db/store';
import type { ReceivedTable } from '../../samp/bridge';

const SAMPLE_ROWS = 20;

/** File name the import parser sees: it chooses the format by extension. */
function importName(t: ReceivedTable): string {
  return /\.(vot|xml|votable)$/i.test(t.name) ? t.name : `${t.name}.vot`;
}

/** SearchCal and GetStar send calibrator lists (ASPRO2 itself recognises them by sender name). */
function looksLikeCalibrators(t: ReceivedTable): boolean {
  return /^(searchcal|getstar)$/i.test(t.senderName) || /SearchCal|JSDC/.test(t.text.slice(0, 8192));
}

/** Parse a received table as the survey import would, without writing anything. */
export function previewTable(t: ReceivedTable): SampTablePreview {
  const base = { id: t.id, senderName: t.senderName, name: t.name, url: t.url, receivedAtMs: t.receivedAtMs, looksLikeCalibrators: looksLikeCalibrators(t) };
  try {
    const parsed = parseImport(importName(t), t.text);
    return {
      ...base,
      format: parsed.format,
      rowCount: parsed.targets.length,
      skippedCount: parsed.skipped.length,
      sample: parsed.targets.slice(0, SAMPLE_ROWS).map((r) => ({ name: r.name, raDeg: r.raDeg, decDeg: r.decDeg, vmag: r.vmag, spType: r.spType })),
      error: null,
    };
  } catch (e) {
    return { ...base, format: null, rowCount: 0, skippedCount: 0, sample: [], error: (e as Error).message };
  }
}

/** Import a received table into the survey store. */
export function acceptReceivedTable(store: Store, t: ReceivedTable): ImportReport {
  const started = performance.now();
  let parsed;
  try {
    parsed = parseImport(importName(t), t.text);
  } catch (e) {
    throw new ApiError('invalid-input', `${t.name} from ${t.senderName}: ${(e as Error).message}`);
  }
  const written = importTargets(store, parsed.targets, { source: `SAMP ${t.senderName}: ${t.name}`, skipped: parsed.skipped.length });
  return {
    fileName: t.name,
    format: parsed.format,
    ...written,
    skipped: parsed.skipped,
    notices: parsed.notices,
    durationMs: Math.round(performance.now() - started),
  };
}

/** The live target nearest to a position, with its separation. */
export function nearestTarget(store: Store, raDeg: number, decDeg: number): { id: string; separationArcsec: number } | null {
  const rows = store.sqlite.prepare('select id, ra_deg, dec_deg from targets where deleted = 0').all() as Array<{ id: string; ra_deg: number; dec_deg: number }>;
  let best: { id: string; separationArcsec: number } | null = null;
  for (const r of rows) {
    const sep = separationArcsec(raDeg, decDeg, r.ra_deg, r.dec_deg);
    if (!best || sep < best.separationArcsec) best = { id: r.id, separationArcsec: sep };
  }
  return best;
}
