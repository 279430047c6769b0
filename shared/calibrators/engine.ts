/**
 * The calibrator proposal (note §6): cone search on the catalogue, magnitude window, hard vetoes
 * (static per star, cached; geometric per target), V² at the longest baseline for every SPICA
 * channel, and the ranking by expected calibration error with every term returned.
 */
import { CHARA_SITE } from '../astro/site';
import type { BadCalEntry, CalibratorCatalogue } from './catalogue';
import { estimateRmag } from './colours';
import { airmassOf, altitudeDeg, type NightContext } from './night-context';
import { DEFAULT_POLICY, type CalibratorPolicy } from './policy';
import { angleDiffDeg, positionAngleDeg, separationDeg } from './sky';
import { parseSpectralType } from './spectral-type';
import { udAt, type StarDiameter } from './star-diameter';
import type {
  CalibratorCandidate,
  CalibratorFlag,
  CalibratorStarRef,
  ChannelVis2,
  RejectedCalibrator,
  ScoreTerms,
} from './types';
import { BadCalIndex, staticFlags } from './vetting';
import { uniformDiscVis2 } from './visibility';

/** A science target as the engine needs it. */
export interface EngineTarget {
  name: string;
  raDeg: number;
  decDeg: number;
  vmag?: number | null;
  rmag?: number | null;
  bv?: number | null;
  spType?: string | null;
}

/** Per-call options. */
export interface ProposeOptions {
  /** Night context (window, B_eff, airmass); without it B_eff is `baselineM` and airmass is compared at the target's transit. */
  night?: NightContext | null;
  baselineM?: number;
  baselineSource?: string;
  /** Keys the team excluded for this target. */
  excludedKeys?: ReadonlySet<string>;
  /** Keys assigned to this target, with their pin state. */
  assigned?: ReadonlyMap<string, { isPinned: boolean }>;
}

/** Output of one proposal. */
export interface EngineProposal {
  targetRmag: number | null;
  baselineM: number;
  baselineSource: string;
  radiusDeg: number;
  considered: number;
  candidates: CalibratorCandidate[];
  rejected: RejectedCalibrator[];
}

/** Stars closer than this to the target are the target itself. */
const SELF_ARCSEC = 10;
/** Largest number of rejected stars returned (nearest first). */
const MAX_REJECTED = 400;

/** Proposals over one catalogue, with the BadCal lists and policy in force and per-star caches. */
export class CalibratorEngine {
  private badcal: BadCalIndex;
  private policy: CalibratorPolicy;
  private readonly flagCache = new Map<number, CalibratorFlag[]>();
  /** Per-star caches as typed arrays: NaN / −1 mean "not computed yet". */
  private rmagCache = new Float64Array(0);
  private vetoCache = new Int8Array(0);
  private readonly udCache = new Map<number, number[]>();

  constructor(
    readonly catalogue: CalibratorCatalogue,
    badcal: BadCalEntry[] = [],
    policy: CalibratorPolicy = DEFAULT_POLICY,
  ) {
    this.badcal = new BadCalIndex(badcal);
    this.policy = policy;
    this.resetArrays();
  }

  private resetArrays(): void {
    const n = this.catalogue.stars.length;
    this.rmagCache = new Float64Array(n).fill(Number.NaN);
    this.vetoCache = new Int8Array(n).fill(-1);
  }

  /** Replace the bad-calibrator lists (local + imported); clears cached flags. */
  setBadCal(entries: BadCalEntry[]): void {
    this.badcal = new BadCalIndex(entries);
    this.flagCache.clear();
    this.vetoCache.fill(-1);
  }

  /** Replace the policy; clears cached flags. */
  setPolicy(policy: CalibratorPolicy): void {
    this.policy = policy;
    this.flagCache.clear();
    this.vetoCache.fill(-1);
    this.udCache.clear();
  }

  getPolicy(): CalibratorPolicy {
    return this.policy;
  }

  /** Forget cached per-star results (after the catalogue changed). */
  invalidate(): void {
    this.flagCache.clear();
    this.resetArrays();
    this.udCache.clear();
  }

  /** θ_UD of star i at each policy wavelength (cached). */
  private udsOf(i: number, d: StarDiameter): number[] {
    let uds = this.udCache.get(i);
    if (!uds) {
      uds = this.policy.lambdasUm.map((lambdaUm) => udAt(d, lambdaUm));
      this.udCache.set(i, uds);
    }
    return uds;
  }

  /**
   * Compute and cache every star's diameter, flags and R in slices of `sliceSize`, yielding between
   * slices through `yieldFn` so a service can warm up without blocking its event loop.
   */
  async warmUp(yieldFn: () => Promise<void>, sliceSize = 2000): Promise<void> {
    const n = this.catalogue.stars.length;
    for (let start = 0; start < n; start += sliceSize) {
      for (let i = start; i < Math.min(n, start + sliceSize); i++) {
        this.rmagOf(i);
        this.flagsOf(i);
        const d = this.catalogue.diameter(i);
        if (d) this.udsOf(i, d);
      }
      await yieldFn();
    }
  }

  /** Target-independent flags of star i (cached). */
  flagsOf(i: number): CalibratorFlag[] {
    let f = this.flagCache.get(i);
    if (!f) {
      f = staticFlags(this.catalogue, i, this.policy, this.badcal);
      this.flagCache.set(i, f);
    }
    return f;
  }

  /** Estimated R of star i: JSDC R when imported, else V − (V−R) by type or B−V. */
  rmagOf(i: number): number | null {
    if (i >= this.rmagCache.length) this.resetArrays();
    const cached = this.rmagCache[i];
    // Infinity marks "no R can be estimated"; NaN "not computed yet".
    if (!Number.isNaN(cached)) return cached === Infinity ? null : cached;
    const s = this.catalogue.stars[i];
    const r = s.jsdc?.rmag ?? estimateRmag(s.vmag, s.bv, this.catalogue.spectralType(i));
    this.rmagCache[i] = r ?? Infinity;
    return r;
  }

  /** Rank calibrators for a target. Throws naming the bad field when the target is invalid. */
  propose(target: EngineTarget, options: ProposeOptions = {}): EngineProposal {
    if (!Number.isFinite(target.raDeg) || target.raDeg < 0 || target.raDeg >= 360) throw new Error(`target ${target.name}: ra_deg must be in [0, 360), got ${target.raDeg}`);
    if (!Number.isFinite(target.decDeg) || target.decDeg < -90 || target.decDeg > 90) throw new Error(`target ${target.name}: dec_deg must be in [-90, 90], got ${target.decDeg}`);
    const p = this.policy;
    const targetRmag = target.rmag ?? estimateRmag(target.vmag ?? null, target.bv ?? null, target.spType ? parseSpectralType(target.spType) : null);
    const baselineM = options.night?.baselineM ?? options.baselineM ?? p.defaultBaselineM;
    const baselineSource = options.night?.baselineSource ?? options.baselineSource ?? `policy default ${p.defaultBaselineM} m (CHARA's longest baseline; no night/configuration given)`;
    // One cone search at the larger radius serves both passes.
    const outer = Math.max(p.radiusDeg, p.widenRadiusDeg);
    const near: Array<{ i: number; sepDeg: number }> = [];
    for (const i of this.catalogue.within(target.raDeg, target.decDeg, outer)) {
      const star = this.catalogue.stars[i];
      near.push({ i, sepDeg: separationDeg(target.raDeg, target.decDeg, star.raDeg, star.decDeg) });
    }
    let result = this.search(target, targetRmag, baselineM, p.radiusDeg, options, near);
    if (result.candidates.length < p.minCandidates && p.widenRadiusDeg > p.radiusDeg) {
      result = this.search(target, targetRmag, baselineM, p.widenRadiusDeg, options, near);
    }
    return { targetRmag, baselineM, baselineSource, ...result };
  }

  private search(target: EngineTarget, targetRmag: number | null, baselineM: number, radiusDeg: number, options: ProposeOptions, near: Array<{ i: number; sepDeg: number }>) {
    const p = this.policy;
    const cat = this.catalogue;
    const night = options.night ?? null;
    const lat = night?.latDeg ?? CHARA_SITE.latDeg;
    const candidates: CalibratorCandidate[] = [];
    // Rejected stars are kept as (index, separation, geometric flags) and turned into result
    // objects only for the nearest MAX_REJECTED: most stars near a bright target are vetoed.
    const rejectedRaw: Array<{ i: number; sepDeg: number; rmag: number; extra: CalibratorFlag[] | null }> = [];
    let considered = 0;
    const targetTransitAirmass = airmassOf(altitudeDeg(target.raDeg, target.decDeg, target.raDeg / 15, lat));
    const channelsOf = (i: number, d: StarDiameter): ChannelVis2[] => {
      const uds = this.udsOf(i, d);
      return p.lambdasUm.map((lambdaUm, k) => {
        // JSDC convention: every UDD carries e_LDD as its error.
        const v = uniformDiscVis2(uds[k], d.eLddMas, baselineM, lambdaUm);
        return { lambdaUm, udMas: uds[k], vis2: v.vis2, vis2Err: v.vis2Err };
      });
    };
    for (const { i, sepDeg } of near) {
      if (sepDeg > radiusDeg || sepDeg * 3600 < SELF_ARCSEC) continue;
      const s = cat.stars[i];
      const rmag = this.rmagOf(i);
      if (rmag === null) continue;
      const deltaR = targetRmag === null ? null : rmag - targetRmag;
      if (deltaR !== null ? Math.abs(deltaR) > p.maxDeltaMagAllowed : rmag > p.faintestRmag) continue;
      considered++;
      const d = cat.diameter(i);
      if (!d || this.hasStaticVeto(i)) {
        rejectedRaw.push({ i, sepDeg, rmag, extra: null });
        continue;
      }
      const extra: CalibratorFlag[] = [];
      const channels = channelsOf(i, d);
      const ref0 = channels[0];
      if (ref0.vis2 < p.minVis2) extra.push(veto('resolved', `V² ${ref0.vis2.toFixed(2)}`, `too resolved: V² = ${ref0.vis2.toFixed(3)} < ${p.minVis2} at ${baselineM.toFixed(0)} m and ${ref0.lambdaUm} µm (θ_UD ${ref0.udMas.toFixed(3)} mas)`, d.source));
      let worstRel = 0;
      for (const c of channels) worstRel = Math.max(worstRel, c.vis2Err / c.vis2);
      if (worstRel > p.maxVis2RelErr) extra.push(veto('resolved', `σV² ${(worstRel * 100).toFixed(1)}%`, `σ(V²)/V² = ${(worstRel * 100).toFixed(2)} % > ${(p.maxVis2RelErr * 100).toFixed(1)} % at ${baselineM.toFixed(0)} m`, d.source));
      if (s.decDeg < p.minDecDeg) extra.push(veto('observability', `Dec ${s.decDeg.toFixed(0)}°`, `declination ${s.decDeg.toFixed(1)}° < ${p.minDecDeg}°`, 'policy'));
      let deltaAirmass: number | null = null;
      if (night && night.lstH.length > 0) {
        let up = 0;
        let sum = 0;
        let count = 0;
        for (let k = 0; k < night.lstH.length; k++) {
          const x = airmassOf(altitudeDeg(s.raDeg, s.decDeg, night.lstH[k], lat));
          if (x <= p.maxAirmass) up++;
          if (Number.isFinite(x) && Number.isFinite(night.targetAirmass[k])) {
            sum += Math.abs(x - night.targetAirmass[k]);
            count++;
          }
        }
        deltaAirmass = count ? sum / count : null;
        if (up < night.lstH.length / 2) extra.push(veto('observability', 'not obs.', `airmass above ${p.maxAirmass} for more than half of the target's window on ${night.night}`, 'astro engine'));
      } else {
        const minAirmass = airmassOf(90 - Math.abs(lat - s.decDeg));
        if (minAirmass > p.maxAirmass) extra.push(veto('observability', 'low', `never below airmass ${p.maxAirmass} at CHARA (best ${minAirmass.toFixed(2)})`, 'geometry'));
        const x = airmassOf(altitudeDeg(s.raDeg, s.decDeg, target.raDeg / 15, lat));
        deltaAirmass = Number.isFinite(x) && Number.isFinite(targetTransitAirmass) ? Math.abs(x - targetTransitAirmass) : null;
      }
      if (options.excludedKeys?.has(s.key)) extra.push(veto('excluded', 'excluded', 'excluded for this target by the team', 'local'));
      if (extra.length > 0) {
        rejectedRaw.push({ i, sepDeg, rmag, extra });
        continue;
      }
      const warnings = this.flagsOf(i).slice();
      if (deltaR !== null && Math.abs(deltaR) > p.maxDeltaMagPreferred) warnings.push({ code: 'photometry', severity: 'warn', label: `ΔR ${deltaR.toFixed(1)}`, reason: `|ΔR| = ${Math.abs(deltaR).toFixed(2)} mag > ${p.maxDeltaMagPreferred} preferred`, source: 'policy' });
      const terms = scoreTerms(p, channels, sepDeg, deltaAirmass, deltaR, d.tier, warnings);
      const assigned = options.assigned?.get(s.key);
      candidates.push({
        ...this.refOf(i, target, sepDeg, rmag), rank: 0, tier: d.tier, diameterSource: d.source, lddMas: round(d.lddMas, 5)!, eLddMas: round(d.eLddMas, 5)!,
        udMas: round(channels[0].udMas, 5)!, eUdMas: round(d.eLddMas, 5)!,
        channels: channels.map((c) => ({ lambdaUm: c.lambdaUm, udMas: round(c.udMas, 5)!, vis2: round(c.vis2, 6)!, vis2Err: round(c.vis2Err, 6)! })),
        deltaRmag: round(deltaR, 3), deltaAirmass: round(deltaAirmass, 3), score: terms.total, terms, flags: warnings,
        role: null, isAssigned: assigned !== undefined, isPinned: assigned?.isPinned ?? false,
      });
    }
    candidates.sort((a, b) => (b.isPinned ? 1 : 0) - (a.isPinned ? 1 : 0) || a.score - b.score);
    const kept = candidates.slice(0, p.maxCandidates);
    kept.forEach((c, k) => (c.rank = k + 1));
    assignRoles(kept, p.suggestCount);
    rejectedRaw.sort((a, b) => a.sepDeg - b.sepDeg);
    const rejected = rejectedRaw.slice(0, MAX_REJECTED).map(({ i, sepDeg, rmag, extra }): RejectedCalibrator => {
      const d = cat.diameter(i);
      const flags = extra ? [...this.flagsOf(i), ...extra] : this.flagsOf(i);
      const first = flags.find((f) => f.severity === 'veto');
      const ud = d ? this.udsOf(i, d)[0] : null;
      return { ...this.refOf(i, target, sepDeg, rmag), tier: d?.tier ?? null, udMas: round(ud, 4), rule: first?.code ?? 'diameter', reason: first?.reason ?? 'no diameter', flags };
    });
    return { radiusDeg, considered, candidates: kept, rejected };
  }

  /** Whether star i has a target-independent veto (cached with its flags). */
  private hasStaticVeto(i: number): boolean {
    if (i >= this.vetoCache.length) this.resetArrays();
    if (this.vetoCache[i] < 0) this.vetoCache[i] = this.flagsOf(i).some((f) => f.severity === 'veto') ? 1 : 0;
    return this.vetoCache[i] === 1;
  }

  private refOf(i: number, target: EngineTarget, sepDeg: number, rmag: number): CalibratorStarRef {
    const s = this.catalogue.stars[i];
    return {
      key: s.key, name: this.catalogue.nameOf(i), hd: s.hd, hip: s.hip, raDeg: s.raDeg, decDeg: s.decDeg, vmag: s.vmag,
      rmag: round(rmag, 3), spType: s.spType, sepDeg: round(sepDeg, 4)!, paDeg: round(positionAngleDeg(target.raDeg, target.decDeg, s.raDeg, s.decDeg), 2)!,
    };
  }
}

function veto(code: CalibratorFlag['code'], label: string, reason: string, source: string): CalibratorFlag {
  return { code, severity: 'veto', label, reason, source };
}

/** Expected calibration error (note §6.5): quadrature sum of the terms plus fixed penalties. */
export function scoreTerms(
  p: CalibratorPolicy,
  channels: ChannelVis2[],
  sepDeg: number,
  deltaAirmass: number | null,
  deltaR: number | null,
  tier: string,
  warnings: CalibratorFlag[],
): ScoreTerms {
  const diam = Math.max(...channels.map((c) => c.vis2Err / c.vis2));
  const sky = p.kSkyPer10Deg * (sepDeg / 10);
  const airmass = deltaAirmass === null ? 0 : p.kAirmassPer02 * (deltaAirmass / 0.2);
  const mag = deltaR === null ? 0 : p.kMagPerMag * Math.max(0, Math.abs(deltaR) - 0.5);
  const resolved = p.kResolved * (1 - channels[0].vis2);
  const counted = warnings.filter((w) => w.code !== 'tier').length;
  const penalty = counted * p.warningPenalty + (tier === 'C' ? p.tierCPenalty : 0);
  const total = Math.sqrt(diam ** 2 + sky ** 2 + airmass ** 2 + mag ** 2 + resolved ** 2) + penalty;
  const r = (v: number) => round(v, 6)!;
  return { diam: r(diam), sky: r(sky), airmass: r(airmass), mag: r(mag), resolved: r(resolved), penalty: r(penalty), total: r(total) };
}

/** Suggest the best few, with one on the other side of the target when possible, then a check star. */
function assignRoles(sorted: CalibratorCandidate[], count: number): void {
  if (sorted.length === 0) return;
  const picks = [sorted[0]];
  const opposite = sorted.slice(1, 3 * count).find((c) => angleDiffDeg(c.paDeg, sorted[0].paDeg) > 90);
  if (opposite && count > 1) picks.push(opposite);
  for (const c of sorted) {
    if (picks.length >= count) break;
    if (!picks.includes(c)) picks.push(c);
  }
  for (const c of picks) c.role = 'suggested';
  const check = sorted.find((c) => !picks.includes(c));
  if (check) check.role = 'check';
}

function round(v: number | null, digits: number): number | null {
  if (v === null || !Number.isFinite(v)) return null;
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
