/**
 * Where a science target's calibrators come from, in order: the store's associations, the
 * calibrator engine's proposal over the bundled backbone, and last the nearest bright stars
 * (Yale BSC). Each choice says which source was used, so the UI can show it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CalibratorCatalogue } from '../../../shared/calibrators/catalogue';
import { CalibratorEngine } from '../../../shared/calibrators/engine';
import { nearestCalibrators, type CalibratorChoice, type CalibratorMeta, type TargetMeta } from '../../../shared/planner/night-input';
import type { Store } from '../../db/store';
import { backbonePath, loadBackbone } from '../calibrators/backbone-file';

/** How many calibrators a sequence may choose from. */
const CALIBRATORS_PER_TARGET = 3;

interface AssociationRow {
  target_id: string;
  calibrator_name: string;
  ra_deg: number;
  dec_deg: number;
  vmag: number | null;
}

/** Associations of all live targets, pinned first, keyed by target id. */
export function storeAssociations(store: Store): Map<string, CalibratorMeta[]> {
  const rows = store.sqlite
    .prepare(
      'select target_id, calibrator_name, ra_deg, dec_deg, vmag from calibrator_associations where deleted = 0 order by target_id, is_pinned desc, calibrator_name',
    )
    .all() as AssociationRow[];
  const out = new Map<string, CalibratorMeta[]>();
  for (const r of rows) {
    const list = out.get(r.target_id) ?? [];
    list.push({ key: `cal:${r.calibrator_name}`, name: r.calibrator_name, raDeg: r.ra_deg, decDeg: r.dec_deg, vmag: r.vmag });
    out.set(r.target_id, list);
  }
  return out;
}

/** Lazily loaded proposal engine and bright-star fallback, shared by all plans of a session. */
export class CalibratorSource {
  private engine: CalibratorEngine | null | undefined;
  private brightStars: CalibratorMeta[] | undefined;
  private readonly proposals = new Map<string, CalibratorMeta[]>();

  constructor(private readonly resourcesDir: string) {}

  private proposer(): CalibratorEngine | null {
    if (this.engine === undefined) {
      try {
        this.engine = new CalibratorEngine(new CalibratorCatalogue(loadBackbone(backbonePath(this.resourcesDir))));
      } catch {
        // Without the bundled backbone the planner still works on the bright-star fallback.
        this.engine = null;
      }
    }
    return this.engine;
  }

  private bright(): CalibratorMeta[] {
    if (!this.brightStars) {
      const file = join(this.resourcesDir, 'stars', 'bright-stars.json');
      const stars = (JSON.parse(readFileSync(file, 'utf8')) as { stars: Array<{ name: string; raDeg: number; decDeg: number; vmag: number | null }> }).stars;
      this.brightStars = stars.map((s) => ({ key: `cal:${s.name}`, name: s.name, raDeg: s.raDeg, decDeg: s.decDeg, vmag: s.vmag }));
    }
    return this.brightStars;
  }

  /**
   * Calibrators of one science target: associated, else proposed (when `mayPropose`: a proposal
   * costs tens of ms, so only the best-ranked targets get one), else nearest bright stars.
   */
  choose(target: TargetMeta, associated: readonly CalibratorMeta[] | undefined, mayPropose: boolean): CalibratorChoice {
    if (associated && associated.length > 0) return { source: 'store', calibrators: associated.slice(0, CALIBRATORS_PER_TARGET) };
    const cached = this.proposals.get(target.key);
    if (cached && cached.length > 0) return { source: 'proposed', calibrators: cached };
    const engine = mayPropose && !cached ? this.proposer() : null;
    if (engine) {
      const proposal = engine.propose({ name: target.name, raDeg: target.raDeg, decDeg: target.decDeg, vmag: target.vmag ?? null });
      const picks = proposal.candidates.slice(0, CALIBRATORS_PER_TARGET).map((c) => ({
        key: `cal:${c.name}`,
        name: c.name,
        raDeg: c.raDeg,
        decDeg: c.decDeg,
        vmag: c.vmag,
      }));
      this.proposals.set(target.key, picks);
      if (picks.length > 0) return { source: 'proposed', calibrators: picks };
    }
    const near = nearestCalibrators(
      { key: target.key, name: target.name, raDeg: target.raDeg, decDeg: target.decDeg, vmag: target.vmag },
      this.bright(),
      { maxSepDeg: 10, maxDeltaV: 2, count: CALIBRATORS_PER_TARGET },
    ).filter((c) => c.name !== target.name);
    return near.length > 0 ? { source: 'nearest', calibrators: near } : { source: 'none', calibrators: [] };
  }
}
