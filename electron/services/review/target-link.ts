/**
 * Links an OIFITS file to a survey target: by name first (case, spaces and catalogue-prefix
 * spacing ignored), else by position within 10″ of OI_TARGET's RAEP0/DECEP0.
 */
import { separationArcsec } from '../../db/repos/targets';
import type { Store } from '../../db/store';

/** Largest separation for a positional match. */
export const LINK_RADIUS_ARCSEC = 10;

interface SurveyTarget {
  id: string;
  name: string;
  mainId: string | null;
  hd: string | null;
  raDeg: number;
  decDeg: number;
}

/** `HD 12345`, `hd12345` and `HD  12345` compare equal; so do `bet Ari` and `Bet_Ari`. */
export function nameKey(name: string): string {
  return name.toLowerCase().replace(/[\s_]+/g, '');
}

/** A file target to link. */
export interface FileTarget {
  name: string;
  raDeg: number | null;
  decDeg: number | null;
}

/** Snapshot of the survey's targets for one linking pass. */
export class TargetLinker {
  private readonly byName = new Map<string, SurveyTarget>();
  private readonly all: SurveyTarget[];

  constructor(store: Store) {
    this.all = store.sqlite
      .prepare('select id, name, main_id as mainId, hd, ra_deg as raDeg, dec_deg as decDeg from targets where deleted = 0')
      .all() as SurveyTarget[];
    for (const t of this.all) {
      for (const n of [t.name, t.mainId, t.hd ? (/^hd/i.test(t.hd) ? t.hd : `HD ${t.hd}`) : null]) {
        if (n && !this.byName.has(nameKey(n))) this.byName.set(nameKey(n), t);
      }
    }
  }

  /** The survey target of the first file target that matches, by name then by position. */
  link(targets: FileTarget[]): { id: string; name: string } | null {
    for (const t of targets) {
      const hit = this.byName.get(nameKey(t.name));
      if (hit) return { id: hit.id, name: hit.name };
    }
    for (const t of targets) {
      if (t.raDeg === null || t.decDeg === null || (t.raDeg === 0 && t.decDeg === 0)) continue;
      let best: SurveyTarget | undefined;
      let bestSep = LINK_RADIUS_ARCSEC;
      for (const s of this.all) {
        const sep = separationArcsec(t.raDeg, t.decDeg, s.raDeg, s.decDeg);
        if (sep <= bestSep) {
          best = s;
          bestSep = sep;
        }
      }
      if (best) return { id: best.id, name: best.name };
    }
    return null;
  }
}
