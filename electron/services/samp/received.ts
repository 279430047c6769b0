/**
 * What the service does with what peers send: a table becomes an import preview (through the
 * survey's own import parser) until the user accepts it; a sky position is matched to the
 * nearest survey target (`PointAtRelay`).
 */
import type { SampTablePreview } from '../../../shared/contract/samp';
import { parseImport } from '../../../shared/survey/import-rows';
import { separationArcsec } from '../../db/repos/targets';
import type { Store } from '../../db/store';
import type { ReceivedTable } from '../../samp/bridge';
import type { ImportJob } from '../survey/import-job';

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

/** A received table as a survey import job: named for the batch by its sender. */
export function receivedImportJob(t: ReceivedTable): ImportJob {
  return { fileName: importName(t), content: t.text, source: `SAMP ${t.senderName}: ${t.name}`, label: `${t.name} from ${t.senderName}` };
}

interface Positions {
  ids: string[];
  raDeg: Float64Array;
  decDeg: Float64Array;
}

function loadPositions(store: Store): Positions {
  const rows = store.sqlite.prepare('select id, ra_deg, dec_deg from targets where deleted = 0').all() as Array<{ id: string; ra_deg: number; dec_deg: number }>;
  return { ids: rows.map((r) => r.id), raDeg: Float64Array.from(rows, (r) => r.ra_deg), decDeg: Float64Array.from(rows, (r) => r.dec_deg) };
}

function nearestIn(p: Positions, raDeg: number, decDeg: number): { id: string; separationArcsec: number } | null {
  let best = -1;
  let bestSep = Infinity;
  for (let i = 0; i < p.ids.length; i++) {
    const sep = separationArcsec(raDeg, decDeg, p.raDeg[i], p.decDeg[i]);
    if (sep < bestSep) {
      bestSep = sep;
      best = i;
    }
  }
  return best < 0 ? null : { id: p.ids[best], separationArcsec: bestSep };
}

/** A pointed position with the survey target nearest to it (the `samp.pointAt` event). */
export interface PointedTarget {
  raDeg: number;
  decDeg: number;
  senderName: string;
  nearestTargetId: string | null;
  separationArcsec: number | null;
}

/**
 * Turns positions peers point at into `samp.pointAt` events. A burst (a peer sweeping the sky
 * sends hundreds a second) is thinned to the latest position every `intervalMs`, since the UI
 * only follows the last one; target positions are read once and again after the targets change.
 */
export class PointAtRelay {
  private positions: Positions | null = null;
  private latest: { raDeg: number; decDeg: number; senderName: string } | null = null;
  private timer: NodeJS.Timeout | null = null;
  private lastEmitMs = -Infinity;
  private readonly stopWatching: () => void;

  constructor(
    private readonly store: Store,
    private readonly emit: (p: PointedTarget) => void,
    private readonly intervalMs = 250,
  ) {
    this.stopWatching = store.onDidChange((entities) => {
      if (entities.has('targets')) this.positions = null;
    });
  }

  /** A position arrived; it is announced now, or within `intervalMs` if another one just was. */
  push(p: { raDeg: number; decDeg: number; senderName: string }): void {
    this.latest = p;
    if (this.timer) return;
    this.timer = setTimeout(() => this.flush(), Math.max(0, this.lastEmitMs + this.intervalMs - Date.now()));
  }

  private flush(): void {
    this.timer = null;
    const p = this.latest;
    this.latest = null;
    if (!p) return;
    this.lastEmitMs = Date.now();
    this.positions ??= loadPositions(this.store);
    const near = nearestIn(this.positions, p.raDeg, p.decDeg);
    this.emit({ ...p, nearestTargetId: near?.id ?? null, separationArcsec: near?.separationArcsec ?? null });
  }

  /** Stop: nothing more is announced. */
  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.latest = null;
  }

  /** Stop watching the store for good. */
  dispose(): void {
    this.close();
    this.stopWatching();
  }
}
