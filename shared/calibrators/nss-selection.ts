/**
 * NSS's calibrator selection (`dsalabert/spica-nss` `nss.py` v2025-09, `query_calprim` and
 * `query_calsec`), rule for rule, over rows the caller provides. It works on a *selection* of
 * science targets, as NSS does: the windows are centred on the median Dec and V of the selection.
 *
 * Primary (spica_calprim): RA strictly inside the night's LST window (sunset → sunrise), Dec and V
 * strictly inside median ± 5° and median ± 2 mag, then rows within 5″ of a science target dropped.
 * NSS also prints a ±60 min RA box around the targets and never applies it; neither do we.
 *
 * Secondary (JSDC): in this order, as NSS runs them —
 *   1. the VizieR constraints: Dec strictly inside median ± 2°, V < median + 2 (no lower bound),
 *      CalFlag = 0, LDDCHI < 2 (a missing value fails a VizieR constraint);
 *   2. RA strictly inside the LST window;
 *   3. e_LDD/UDD_R < 10 % and V²(UD = UDD_R, λ = 0.75 µm, B = longest baseline) > 0.7 (NSS also
 *      lets a row with a masked Name through this step, `filterSec = Name.mask | …`, but then fails
 *      on it in its SIMBAD query; JSDC names every row, so that path is not reproduced);
 *   4. rows within 5″ of a science target, then of a kept primary, dropped;
 *   5. more than 50 left → NSS refuses the list (a warning window; nothing is kept);
 *   6. otherwise SIMBAD otype "Be*" (exactly) dropped, then JMMC BadCal within 5″.
 */
import type { NssThresholds } from './policy';
import { separationDeg } from './sky';
import { besselJ } from './visibility';

/** A science target of the selection. */
export interface NssTarget {
  raDeg: number;
  decDeg: number;
  vmag: number | null;
}

/** A row of the primary list (`spica_calprim`). */
export interface NssPrimaryRow {
  name: string;
  raDeg: number;
  decDeg: number;
  vmag: number | null;
}

/** A JSDC row as NSS reads it from VizieR II/346 (plus SIMBAD's otype, which NSS queries per star). */
export interface NssJsdcRow {
  name: string;
  raDeg: number;
  decDeg: number;
  vmag: number | null;
  calFlag: number | null;
  lddChi2: number | null;
  eLddMas: number | null;
  uddRMas: number | null;
  otype: string;
}

/** Why a row was dropped, in NSS's terms. */
export type NssDropRule =
  | 'ra-window'
  | 'dec-window'
  | 'vmag-window'
  | 'calflag'
  | 'ldd-chi2'
  | 'rel-error'
  | 'vis2'
  | 'duplicate-target'
  | 'duplicate-primary'
  | 'be-star'
  | 'badcal';

/** NSS's result for a selection. */
export interface NssSelection {
  medianDecDeg: number;
  medianVmag: number;
  lstWindowDeg: [number, number];
  /** Indices of the primary rows kept, in input order. */
  primary: number[];
  primaryDropped: Array<{ index: number; rule: NssDropRule }>;
  /** Indices of the JSDC rows kept, in input order; empty when refused. */
  secondary: number[];
  secondaryDropped: Array<{ index: number; rule: NssDropRule }>;
  /** Set when more than `maxSecondaries` remained before the Be/BadCal step. */
  refusal: string | null;
  /** How many secondaries NSS counted for its 50-star rule. */
  secondaryCountBeforeBe: number;
}

/** numpy's median (mean of the two middle values for an even count). */
export function npMedian(values: number[]): number {
  if (values.length === 0) throw new Error('median of an empty selection');
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Whether an RA lies strictly inside the window (which wraps through 0h when start > end). */
function inWindow(raDeg: number, [start, end]: readonly [number, number]): boolean {
  return start < end ? raDeg > start && raDeg < end : raDeg > start || raDeg < end;
}

/** NSS's V² of a uniform disc: (2 J₁(z)/z)², z = π θ B / λ. */
export function nssVis2(uddMas: number, baselineM: number, lambdaUm: number): number {
  const z = (Math.PI * uddMas * 1e-3 * Math.PI) / (3600 * 180) * baselineM / (lambdaUm * 1e-6);
  if (z === 0) return 1;
  return ((2 * besselJ(1, z)) / z) ** 2;
}

function within(ra: number, dec: number, list: ReadonlyArray<{ raDeg: number; decDeg: number }>, arcsec: number): boolean {
  const limDeg = arcsec / 3600;
  for (const p of list) {
    if (Math.abs(p.decDeg - dec) > limDeg) continue;
    if (separationDeg(ra, dec, p.raDeg, p.decDeg) <= limDeg) return true;
  }
  return false;
}

/**
 * Run NSS's selection. `badcal` are the BadCal positions; `lstWindowDeg` the night's window
 * (`nssLstWindowDeg`). Targets without V are left out of the V median (NSS's masked values).
 */
export function nssSelect(
  targets: readonly NssTarget[],
  primaries: readonly NssPrimaryRow[],
  jsdc: readonly NssJsdcRow[],
  badcal: ReadonlyArray<{ raDeg: number; decDeg: number }>,
  lstWindowDeg: readonly [number, number],
  t: NssThresholds,
): NssSelection {
  if (targets.length === 0) throw new Error('NSS selects calibrators for a selection of at least one science target');
  const vs = targets.map((x) => x.vmag).filter((v): v is number => v !== null);
  if (vs.length === 0) throw new Error('no science target of the selection has a V magnitude: NSS centres its V window on their median');
  const medDec = npMedian(targets.map((x) => x.decDeg));
  const medV = npMedian(vs);
  const window: [number, number] = [lstWindowDeg[0], lstWindowDeg[1]];

  const primary: number[] = [];
  const primaryDropped: NssSelection['primaryDropped'] = [];
  primaries.forEach((r, index) => {
    let rule: NssDropRule | null = null;
    if (!inWindow(r.raDeg, window)) rule = 'ra-window';
    else if (!(r.decDeg > medDec - t.primDecRangeDeg && r.decDeg < medDec + t.primDecRangeDeg)) rule = 'dec-window';
    else if (r.vmag === null || !(r.vmag > medV - t.primVmagRange && r.vmag < medV + t.primVmagRange)) rule = 'vmag-window';
    else if (within(r.raDeg, r.decDeg, targets, t.sameStarArcsec)) rule = 'duplicate-target';
    if (rule) primaryDropped.push({ index, rule });
    else primary.push(index);
  });
  const keptPrimaries = primary.map((i) => primaries[i]);

  const secondaryDropped: NssSelection['secondaryDropped'] = [];
  let left: number[] = [];
  jsdc.forEach((r, index) => {
    let rule: NssDropRule | null = null;
    if (!(r.decDeg > medDec - t.secDecRangeDeg && r.decDeg < medDec + t.secDecRangeDeg)) rule = 'dec-window';
    else if (r.vmag === null || !(r.vmag < medV + t.secVmagRange)) rule = 'vmag-window';
    else if (r.calFlag !== 0) rule = 'calflag';
    else if (r.lddChi2 === null || !(r.lddChi2 < t.secMaxLddChi2)) rule = 'ldd-chi2';
    else if (!inWindow(r.raDeg, window)) rule = 'ra-window';
    else {
      const rel = r.eLddMas !== null && r.uddRMas !== null ? r.eLddMas / r.uddRMas : Number.NaN;
      const v2 = r.uddRMas !== null ? nssVis2(r.uddRMas, t.maxBaselineM, t.secLambdaUm) : Number.NaN;
      if (!(rel < t.secMaxRelErrPct / 100)) rule = 'rel-error';
      else if (!(v2 > t.secMinVis2)) rule = 'vis2';
    }
    if (rule) secondaryDropped.push({ index, rule });
    else left.push(index);
  });
  left = left.filter((index) => {
    const r = jsdc[index];
    if (within(r.raDeg, r.decDeg, targets, t.sameStarArcsec)) {
      secondaryDropped.push({ index, rule: 'duplicate-target' });
      return false;
    }
    if (keptPrimaries.length > 0 && within(r.raDeg, r.decDeg, keptPrimaries, t.sameStarArcsec)) {
      secondaryDropped.push({ index, rule: 'duplicate-primary' });
      return false;
    }
    return true;
  });
  const counted = left.length;
  if (counted > t.maxSecondaries) {
    return {
      medianDecDeg: medDec, medianVmag: medV, lstWindowDeg: window, primary, primaryDropped,
      secondary: [], secondaryDropped,
      refusal: `NSS 2025 refuses the secondary list: ${counted} JSDC stars pass its rules, more than ${t.maxSecondaries} ("Please, refine your selection to ${t.maxSecondaries}")`,
      secondaryCountBeforeBe: counted,
    };
  }
  const secondary = left.filter((index) => {
    const r = jsdc[index];
    if (r.otype === 'Be*') {
      secondaryDropped.push({ index, rule: 'be-star' });
      return false;
    }
    if (within(r.raDeg, r.decDeg, badcal, t.sameStarArcsec)) {
      secondaryDropped.push({ index, rule: 'badcal' });
      return false;
    }
    return true;
  });
  return { medianDecDeg: medDec, medianVmag: medV, lstWindowDeg: window, primary, primaryDropped, secondary, secondaryDropped, refusal: null, secondaryCountBeforeBe: counted };
}
