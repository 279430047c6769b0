/**
 * The calibrator proposal (note §6): cone search on the catalogue, magnitude window, hard vetoes
 * (static per star, cached; geometric per target), V² at the longest baseline for every SPICA
 * channel, and the ranking by expected calibration error with every term returned. The V² vetoes
 * are computed at SPICA's bluest channel, where a star is most resolved.
 *
 * Two presets: the app's own rules (`spica-companion`), and NSS 2025's selection (`nss-2025`,
 * `nss-selection.ts`) with the app's hard vetoes on top. Both rank primary calibrators first.
 */
import { CHARA_SITE } from '../astro/site';
import type { BadCalEntry, CalibratorCatalogue } from './catalogue';
import { estimateRmag } from './colours';
import { linearLdCoefficient, ldToUdRatio } from './ld-to-ud';
import { airmassOf, altitudeDeg, inLstWindow, observableWindows, type NightContext } from './night-context';
import { nssSelect, type NssJsdcRow, type NssPrimaryRow } from './nss-selection';
import { DEFAULT_POLICY, proposalLambdasUm, type CalibratorPolicy, type PolicyPreset } from './policy';
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
  /** Build the rejected list (the UI needs it; a batch for the planner does not). Default true. */
  withRejected?: boolean;
  /** Largest number of rejected stars listed, nearest first; user-marked stars are always listed. */
  maxRejected?: number;
  /** Compute each candidate's observable windows on the night (default true when a night is given). */
  withWindows?: boolean;
  /** Build at most this many candidates (a batch that needs three asks for three); default the policy's. */
  maxCandidates?: number;
}

/** Output of one proposal. */
export interface EngineProposal {
  targetRmag: number | null;
  baselineM: number;
  baselineSource: string;
  radiusDeg: number;
  considered: number;
  candidates: CalibratorCandidate[];
  candidatesTotal: number;
  rejected: RejectedCalibrator[];
  rejectedTotal: number;
  preset: PolicyPreset;
  refusal: string | null;
  vetoLambdaUm: number;
  lambdasUm: number[];
}

/** Stars closer than this to the target are the target itself. */
const SELF_ARCSEC = 10;
/** Default number of rejected stars listed (nearest first), besides every user-marked one. */
export const DEFAULT_MAX_REJECTED = 400;
/** SIMBAD object types of JSDC CalFlag bit 2 (variable or binary; ReadMe of II/346). */
const CALFLAG_OTYPES = new Set(['C*', 'S*', 'Pu*', 'RR*', 'Ce*', 'dS*', 'RV*', 'WV*', 'bC*', 'cC*', 'gD*', 'SX*', 'Mi*', 'SB*', 'Al*']);
/** Effective wavelength of JSDC's UDD_R (µm), to compute it for backbone stars. */
const R_BAND = 'R';

/** An eligible star before the cut: the full candidate object is built only for the kept ones. */
interface Pending {
  i: number;
  sepDeg: number;
  rmag: number | null;
  d: StarDiameter;
  channels: ChannelVis2[];
  deltaAirmass: number | null;
  deltaR: number | null;
  /** Warnings of this proposal only (ΔR, NSS role); the star's own come from `flagsOf`. */
  extraWarnings: CalibratorFlag[];
  score: number;
  isPinned: boolean;
  isPrimary: boolean;
}

interface RawRejected {
  i: number;
  sepDeg: number;
  rmag: number | null;
  extra: CalibratorFlag[] | null;
  isUserMarked: boolean;
}

/** Proposals over one catalogue, with the BadCal lists and policy in force and per-star caches. */
export class CalibratorEngine {
  private badcal: BadCalIndex;
  private policy: CalibratorPolicy;
  private lambdas: number[];
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
    this.badcal = new BadCalIndex(badcal, catalogue);
    this.policy = policy;
    this.lambdas = proposalLambdasUm(policy);
    this.resetArrays();
  }

  private resetArrays(): void {
    const n = this.catalogue.stars.length;
    this.rmagCache = new Float64Array(n).fill(Number.NaN);
    this.vetoCache = new Int8Array(n).fill(-1);
  }

  /** Replace the bad-calibrator lists (local + imported); clears cached flags. */
  setBadCal(entries: BadCalEntry[]): void {
    this.badcal = new BadCalIndex(entries, this.catalogue);
    this.flagCache.clear();
    this.vetoCache.fill(-1);
  }

  /** The BadCal entry matching star i, or null. */
  badCalOf(i: number): BadCalEntry | null {
    return this.badcal.match(this.catalogue.stars[i]);
  }

  /** Replace the policy; clears cached flags. */
  setPolicy(policy: CalibratorPolicy): void {
    this.policy = policy;
    this.lambdas = proposalLambdasUm(policy);
    this.flagCache.clear();
    this.vetoCache.fill(-1);
    this.udCache.clear();
  }

  getPolicy(): CalibratorPolicy {
    return this.policy;
  }

  /** Channels every proposal computes (µm, ascending; the first is SPICA's bluest). */
  lambdasUm(): number[] {
    return this.lambdas;
  }

  /** Forget cached per-star results (after the catalogue changed). */
  invalidate(): void {
    this.flagCache.clear();
    this.resetArrays();
    this.udCache.clear();
  }

  /** θ_UD of star i at each proposal wavelength (cached). */
  private udsOf(i: number, d: StarDiameter): number[] {
    let uds = this.udCache.get(i);
    if (!uds) {
      uds = this.lambdas.map((lambdaUm) => udAt(d, lambdaUm));
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
    const night = options.night ?? null;
    let baselineM = night?.baselineM ?? options.baselineM ?? p.defaultBaselineM;
    let baselineSource = night?.baselineSource ?? options.baselineSource ?? `policy default ${p.defaultBaselineM} m (CHARA's longest baseline; no night/configuration given)`;
    if (p.preset === 'nss-2025') {
      // NSS's V² test uses its "Max. Baseline" setting; the configuration's longest baseline replaces it when known.
      if (!night && options.baselineM === undefined) {
        baselineM = p.nss.maxBaselineM;
        baselineSource = `NSS 2025 "Max. Baseline" ${p.nss.maxBaselineM} m (no night/configuration given)`;
      }
      const r = this.searchNss(target, targetRmag, baselineM, options);
      return this.finish(target, r, { targetRmag, baselineM, baselineSource, preset: 'nss-2025' }, options);
    }
    // One cone search at the larger radius serves both passes.
    const outer = Math.max(p.radiusDeg, p.widenRadiusDeg);
    const idx = this.catalogue.within(target.raDeg, target.decDeg, outer);
    const near = { idx, sep: new Float64Array(idx.length) };
    for (let k = 0; k < idx.length; k++) {
      const star = this.catalogue.stars[idx[k]];
      near.sep[k] = separationDeg(target.raDeg, target.decDeg, star.raDeg, star.decDeg);
    }
    let result = this.search(target, targetRmag, baselineM, p.radiusDeg, options, near);
    if (result.candidates.length < p.minCandidates && p.widenRadiusDeg > p.radiusDeg) {
      result = this.search(target, targetRmag, baselineM, p.widenRadiusDeg, options, near);
    }
    return this.finish(target, result, { targetRmag, baselineM, baselineSource, preset: 'spica-companion' }, options);
  }

  /** Channels of star i at a baseline: UD and V² at each proposal wavelength (JSDC: σ(UD) = e_LDD). */
  private channelsOf(i: number, d: StarDiameter, baselineM: number): ChannelVis2[] {
    const uds = this.udsOf(i, d);
    return this.lambdas.map((lambdaUm, k) => {
      const v = uniformDiscVis2(uds[k], d.eLddMas, baselineM, lambdaUm);
      return { lambdaUm, udMas: uds[k], vis2: v.vis2, vis2Err: v.vis2Err };
    });
  }

  /**
   * Geometric vetoes of star i for this target (V² at the bluest channel, σ(V²), Dec, airmass,
   * exclusion) and the mean airmass mismatch. `skipResolved` leaves the V² floor to the caller.
   */
  private geometry(i: number, target: EngineTarget, channels: ChannelVis2[], baselineM: number, options: ProposeOptions, sourceOfDiameter: string, skipResolved = false): { extra: CalibratorFlag[]; deltaAirmass: number | null } {
    const p = this.policy;
    const s = this.catalogue.stars[i];
    const night = options.night ?? null;
    const lat = night?.latDeg ?? CHARA_SITE.latDeg;
    const extra: CalibratorFlag[] = [];
    const blue = channels[0];
    if (!skipResolved && blue.vis2 < p.minVis2) extra.push(veto('resolved', `V² ${blue.vis2.toFixed(2)}`, `too resolved: V² = ${blue.vis2.toFixed(3)} < ${p.minVis2} at ${baselineM.toFixed(0)} m and ${blue.lambdaUm} µm, SPICA's bluest channel (θ_UD ${blue.udMas.toFixed(3)} mas)`, sourceOfDiameter));
    let worstRel = 0;
    let worstLambda = blue.lambdaUm;
    for (const c of channels) {
      if (c.vis2Err / c.vis2 > worstRel) {
        worstRel = c.vis2Err / c.vis2;
        worstLambda = c.lambdaUm;
      }
    }
    if (worstRel > p.maxVis2RelErr) extra.push(veto('resolved', `σV² ${(worstRel * 100).toFixed(1)}%`, `σ(V²)/V² = ${(worstRel * 100).toFixed(2)} % > ${(p.maxVis2RelErr * 100).toFixed(1)} % at ${baselineM.toFixed(0)} m and ${worstLambda} µm`, sourceOfDiameter));
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
      const xt = airmassOf(altitudeDeg(target.raDeg, target.decDeg, target.raDeg / 15, lat));
      deltaAirmass = Number.isFinite(x) && Number.isFinite(xt) ? Math.abs(x - xt) : null;
    }
    if (options.excludedKeys?.has(s.key)) extra.push(veto('excluded', 'excluded', 'excluded for this target by the team', 'local'));
    return { extra, deltaAirmass };
  }

  /** An eligible star with its score (the same sum `scoreTerms` returns), not yet a result object. */
  private pendingOf(i: number, sepDeg: number, rmag: number | null, d: StarDiameter, channels: ChannelVis2[], deltaAirmass: number | null, deltaR: number | null, options: ProposeOptions, extraWarnings: CalibratorFlag[]): Pending {
    const s = this.catalogue.stars[i];
    let counted = 0;
    for (const f of this.flagsOf(i)) if (f.severity === 'warn' && f.code !== 'tier' && f.code !== 'selection') counted++;
    for (const f of extraWarnings) if (f.code !== 'tier' && f.code !== 'selection') counted++;
    const score = scoreTotal(this.policy, channels, sepDeg, deltaAirmass, deltaR, d.tier, counted);
    return { i, sepDeg, rmag, d, channels, deltaAirmass, deltaR, extraWarnings, score, isPinned: options.assigned?.get(s.key)?.isPinned ?? false, isPrimary: s.primary !== null };
  }

  private candidateOf(x: Pending, target: EngineTarget, options: ProposeOptions): CalibratorCandidate {
    const { i, sepDeg, rmag, d, channels, deltaAirmass, deltaR } = x;
    const s = this.catalogue.stars[i];
    const warnings = [...this.flagsOf(i).filter((f) => f.severity === 'warn'), ...x.extraWarnings];
    const terms = scoreTerms(this.policy, channels, sepDeg, deltaAirmass, deltaR, d.tier, warnings);
    const assigned = options.assigned?.get(s.key);
    return {
      ...this.refOf(i, target, sepDeg, rmag), rank: 0, tier: d.tier, diameterSource: d.source, lddMas: round(d.lddMas, 5)!, eLddMas: round(d.eLddMas, 5)!,
      udMas: round(channels[0].udMas, 5)!, eUdMas: round(d.eLddMas, 5)!,
      channels: channels.map((c) => ({ lambdaUm: c.lambdaUm, udMas: round(c.udMas, 5)!, vis2: round(c.vis2, 6)!, vis2Err: round(c.vis2Err, 6)! })),
      deltaRmag: round(deltaR, 3), deltaAirmass: round(deltaAirmass, 3), score: terms.total, terms, flags: warnings,
      role: null, isAssigned: assigned !== undefined, isPinned: assigned?.isPinned ?? false, observable: null,
    };
  }

  private search(target: EngineTarget, targetRmag: number | null, baselineM: number, radiusDeg: number, options: ProposeOptions, near: { idx: number[]; sep: Float64Array }) {
    const p = this.policy;
    const cat = this.catalogue;
    const candidates: Pending[] = [];
    const rejectedRaw: RawRejected[] = [];
    let considered = 0;
    for (let k = 0; k < near.idx.length; k++) {
      const i = near.idx[k];
      const sepDeg = near.sep[k];
      if (sepDeg > radiusDeg || sepDeg * 3600 < SELF_ARCSEC) continue;
      const s = cat.stars[i];
      const rmag = this.rmagOf(i);
      if (rmag === null) continue;
      const deltaR = targetRmag === null ? null : rmag - targetRmag;
      if (deltaR !== null ? Math.abs(deltaR) > p.maxDeltaMagAllowed : rmag > p.faintestRmag) continue;
      considered++;
      const d = cat.diameter(i);
      if (!d || this.hasStaticVeto(i)) {
        rejectedRaw.push({ i, sepDeg, rmag, extra: null, isUserMarked: this.isLocalBad(i) || (options.excludedKeys?.has(s.key) ?? false) });
        continue;
      }
      const channels = this.channelsOf(i, d, baselineM);
      const { extra, deltaAirmass } = this.geometry(i, target, channels, baselineM, options, d.source);
      if (extra.length > 0) {
        rejectedRaw.push({ i, sepDeg, rmag, extra, isUserMarked: options.excludedKeys?.has(s.key) ?? false });
        continue;
      }
      const extraWarnings: CalibratorFlag[] = [];
      if (deltaR !== null && Math.abs(deltaR) > p.maxDeltaMagPreferred) extraWarnings.push({ code: 'photometry', severity: 'warn', label: `ΔR ${deltaR.toFixed(1)}`, reason: `|ΔR| = ${Math.abs(deltaR).toFixed(2)} mag > ${p.maxDeltaMagPreferred} preferred`, source: 'policy' });
      candidates.push(this.pendingOf(i, sepDeg, rmag, d, channels, deltaAirmass, deltaR, options, extraWarnings));
    }
    return { radiusDeg, considered, candidates, rejectedRaw, refusal: null as string | null };
  }

  /**
   * NSS 2025 for one target (the selection's medians are the target's own values): primary-list
   * stars in a ±5° / ±2 mag box, JSDC-quality stars in a ±2° strip with V < V_t + 2, both inside
   * the night's LST window; NSS's own quality rules on CalFlag, χ², σ/UDD_R and V² at 0.75 µm;
   * more than 50 secondaries → refused. The app's hard vetoes then apply on top.
   */
  private searchNss(target: EngineTarget, targetRmag: number | null, baselineM: number, options: ProposeOptions) {
    const p = this.policy;
    const t = { ...p.nss, maxBaselineM: baselineM };
    const cat = this.catalogue;
    const night = options.night ?? null;
    // Without a night NSS has no LST window; the whole sky's RA is then allowed.
    const window: [number, number] = night ? night.lstWindowDeg : [0, 360];
    const strip = Math.max(t.primDecRangeDeg, t.secDecRangeDeg);
    const primIdx: number[] = [];
    const primRows: NssPrimaryRow[] = [];
    const secIdx: number[] = [];
    const secRows: NssJsdcRow[] = [];
    for (const i of cat.inDecBand(target.decDeg - strip, target.decDeg + strip)) {
      const s = cat.stars[i];
      if (separationDeg(target.raDeg, target.decDeg, s.raDeg, s.decDeg) * 3600 < SELF_ARCSEC) continue;
      if (s.primary) {
        primIdx.push(i);
        primRows.push({ name: s.primary.name, raDeg: s.raDeg, decDeg: s.decDeg, vmag: s.primary.vmag ?? s.vmag });
        continue;
      }
      const row = this.jsdcView(i);
      if (!row) continue;
      secIdx.push(i);
      secRows.push(row);
    }
    const badPositions: Array<{ raDeg: number; decDeg: number }> = [];
    for (const i of secIdx) if (this.badCalOf(i)) badPositions.push(cat.stars[i]);
    const vmag = target.vmag ?? null;
    const candidates: Pending[] = [];
    const rejectedRaw: RawRejected[] = [];
    if (vmag === null) {
      return { radiusDeg: strip, considered: 0, candidates, rejectedRaw, refusal: 'NSS 2025 needs the target\'s V magnitude: it centres its V windows on it' };
    }
    const sel = nssSelect([{ raDeg: target.raDeg, decDeg: target.decDeg, vmag }], primRows, secRows, badPositions, window, t);
    const nssRuleText: Record<string, string> = {
      'ra-window': `outside the night's LST window ${window[0].toFixed(1)}°–${window[1].toFixed(1)}° (sunset → sunrise)`,
      'dec-window': 'outside NSS\'s Dec window',
      'vmag-window': 'outside NSS\'s V window',
      calflag: 'CalFlag ≠ 0 (JSDC, or its equivalent for a backbone star: χ² > 5, WDS < 1″, variable/binary OTYPE)',
      'ldd-chi2': `LDD χ² ≥ ${t.secMaxLddChi2}`,
      'rel-error': `e_LDD/UDD_R ≥ ${t.secMaxRelErrPct} %`,
      vis2: `V²(UDD_R, ${t.secLambdaUm} µm, ${baselineM.toFixed(0)} m) ≤ ${t.secMinVis2}`,
      'duplicate-target': 'within 5″ of the science target',
      'duplicate-primary': 'within 5″ of a primary calibrator',
      'be-star': 'SIMBAD otype Be*',
      badcal: 'on the BadCal list',
    };
    // Rows NSS drops for its windows are not "rejected": they were never in its search. Its
    // quality rules are reported, so the user sees why a nearby star is missing.
    const quality = new Set(['calflag', 'ldd-chi2', 'rel-error', 'vis2', 'be-star', 'badcal']);
    const considered = new Set<number>();
    for (const { index, rule } of sel.secondaryDropped) {
      if (!quality.has(rule)) continue;
      const i = secIdx[index];
      considered.add(i);
      const s = cat.stars[i];
      if (!inLstWindow(s.raDeg, window)) continue;
      rejectedRaw.push({ i, sepDeg: separationDeg(target.raDeg, target.decDeg, s.raDeg, s.decDeg), rmag: this.rmagOf(i), extra: [veto('selection', 'NSS', `NSS 2025: ${nssRuleText[rule]}`, 'NSS 2025 preset')], isUserMarked: this.isLocalBad(i) });
    }
    const take = (i: number, isPrimary: boolean) => {
      considered.add(i);
      const s = cat.stars[i];
      const sepDeg = separationDeg(target.raDeg, target.decDeg, s.raDeg, s.decDeg);
      const rmag = this.rmagOf(i);
      const d = cat.diameter(i);
      const isUserMarked = this.isLocalBad(i) || (options.excludedKeys?.has(s.key) ?? false);
      if (!d || this.hasStaticVeto(i)) {
        rejectedRaw.push({ i, sepDeg, rmag, extra: null, isUserMarked });
        return;
      }
      const channels = this.channelsOf(i, d, baselineM);
      // NSS's own V² rule (at 0.75 µm on UDD_R) replaces the app's V² floor for secondaries; the
      // bluest-channel floor still protects primaries, which NSS does not test at all.
      const { extra, deltaAirmass } = this.geometry(i, target, channels, baselineM, options, d.source, !isPrimary);
      if (extra.length > 0) {
        rejectedRaw.push({ i, sepDeg, rmag, extra, isUserMarked });
        return;
      }
      const deltaR = targetRmag === null || rmag === null ? null : rmag - targetRmag;
      const role: CalibratorFlag = { code: 'selection', severity: 'warn', label: isPrimary ? 'primary' : 'secondary', reason: isPrimary ? 'NSS 2025 primary calibrator (SPICA primary list)' : 'NSS 2025 secondary calibrator (JSDC rules)', source: 'NSS 2025 preset' };
      candidates.push(this.pendingOf(i, sepDeg, rmag, d, channels, deltaAirmass, deltaR, options, [role]));
    };
    for (const k of sel.primary) take(primIdx[k], true);
    for (const k of sel.secondary) take(secIdx[k], false);
    return { radiusDeg: strip, considered: considered.size, candidates, rejectedRaw, refusal: sel.refusal };
  }

  /**
   * Star i as NSS reads a JSDC row: the imported JSDC values when there are some, else the engine's
   * own (LDD, e_LDD with the 2 % bias, SearchCal's χ², UD in R, and a CalFlag made of the same three
   * bits: χ² > 5, WDS separation < 1″, a variable/binary SIMBAD OTYPE). Null without a diameter.
   */
  jsdcView(i: number): NssJsdcRow | null {
    const s = this.catalogue.stars[i];
    const j = s.jsdc;
    if (j && j.lddChi2 !== null && j.calFlag !== null && j.uddRMas !== null) {
      return { name: j.name, raDeg: s.raDeg, decDeg: s.decDeg, vmag: j.vmag ?? s.vmag, calFlag: j.calFlag, lddChi2: j.lddChi2, eLddMas: j.eLddMas, uddRMas: j.uddRMas, otype: s.otype || (j.objTypes.split(',').includes('Be*') ? 'Be*' : '') };
    }
    const d = this.catalogue.diameter(i);
    if (!d || d.chi2 === null) return null;
    let calFlag = 0;
    if (d.chi2 > 5) calFlag |= 1;
    if (s.wdsSepArcsec !== null && s.wdsSepArcsec < 1) calFlag |= 2;
    if (CALFLAG_OTYPES.has(s.otype)) calFlag |= 4;
    const uddR = d.lddMas / ldToUdRatio(linearLdCoefficient(d.teff, d.logg, R_BAND));
    return { name: this.catalogue.nameOf(i), raDeg: s.raDeg, decDeg: s.decDeg, vmag: s.vmag, calFlag, lddChi2: d.chi2, eLddMas: d.eLddMas, uddRMas: uddR, otype: s.otype };
  }

  /** Sort, cut, assign roles, windows and the rejected list. */
  private finish(
    target: EngineTarget,
    r: { radiusDeg: number; considered: number; candidates: Pending[]; rejectedRaw: RawRejected[]; refusal: string | null },
    head: { targetRmag: number | null; baselineM: number; baselineSource: string; preset: PolicyPreset },
    options: ProposeOptions,
  ): EngineProposal {
    const p = this.policy;
    const primaryFirst = p.preferPrimary || head.preset === 'nss-2025';
    // Ranked by score, with the team's pins first and (by policy) primary calibrators next.
    r.candidates.sort(
      (a, b) =>
        Number(b.isPinned) - Number(a.isPinned) ||
        (primaryFirst ? Number(b.isPrimary) - Number(a.isPrimary) : 0) ||
        a.score - b.score,
    );
    const kept = r.candidates.slice(0, Math.min(p.maxCandidates, options.maxCandidates ?? Infinity)).map((x) => this.candidateOf(x, target, options));
    kept.forEach((c, k) => (c.rank = k + 1));
    assignRoles(kept, p.suggestCount);
    const night = options.night ?? null;
    if (night && (options.withWindows ?? true)) {
      const windows = observableWindows(kept, night.options);
      kept.forEach((c, k) => (c.observable = windows[k]));
    }
    let rejected: RejectedCalibrator[] = [];
    if (options.withRejected ?? true) {
      const max = options.maxRejected ?? DEFAULT_MAX_REJECTED;
      const nearest = [...r.rejectedRaw].sort((a, b) => a.sepDeg - b.sepDeg);
      // Stars the team marked itself are always listed, whatever their distance.
      const listed = nearest.filter((x, k) => k < max || x.isUserMarked);
      rejected = listed.map((x) => this.rejectedOf(x, target));
    }
    return {
      ...head, radiusDeg: r.radiusDeg, considered: r.considered, candidates: kept, candidatesTotal: r.candidates.length,
      rejected, rejectedTotal: r.rejectedRaw.length, refusal: r.refusal, vetoLambdaUm: this.lambdas[0], lambdasUm: this.lambdas,
    };
  }

  private rejectedOf({ i, sepDeg, rmag, extra, isUserMarked }: RawRejected, target: EngineTarget): RejectedCalibrator {
    const d = this.catalogue.diameter(i);
    const flags = extra ? [...this.flagsOf(i).filter((f) => f.severity === 'veto'), ...extra, ...this.flagsOf(i).filter((f) => f.severity === 'warn')] : this.flagsOf(i);
    const first = flags.find((f) => f.severity === 'veto');
    const ud = d ? this.udsOf(i, d)[0] : null;
    return { ...this.refOf(i, target, sepDeg, rmag), tier: d?.tier ?? null, udMas: round(ud, 4), rule: first?.code ?? 'diameter', reason: first?.reason ?? 'no diameter', flags, isUserMarked };
  }

  /** Whether star i is on the team's own BadCal list. */
  private isLocalBad(i: number): boolean {
    return this.badCalOf(i)?.source === 'local';
  }

  /** Whether star i has a target-independent veto (cached with its flags). */
  hasStaticVeto(i: number): boolean {
    if (i >= this.vetoCache.length) this.resetArrays();
    if (this.vetoCache[i] < 0) this.vetoCache[i] = this.flagsOf(i).some((f) => f.severity === 'veto') ? 1 : 0;
    return this.vetoCache[i] === 1;
  }

  private refOf(i: number, target: EngineTarget, sepDeg: number, rmag: number | null): CalibratorStarRef {
    const s = this.catalogue.stars[i];
    return {
      key: s.key, name: this.catalogue.nameOf(i), hd: s.hd, hip: s.hip, raDeg: s.raDeg, decDeg: s.decDeg, vmag: s.vmag,
      rmag: round(rmag, 3), spType: s.spType, sepDeg: round(sepDeg, 4)!, paDeg: round(positionAngleDeg(target.raDeg, target.decDeg, s.raDeg, s.decDeg), 2)!,
      isPrimary: s.primary !== null,
    };
  }
}

function veto(code: CalibratorFlag['code'], label: string, reason: string, source: string): CalibratorFlag {
  return { code, severity: 'veto', label, reason, source };
}

/** `scoreTerms(…).total` from a count of the warnings that carry a penalty, without building the terms object. */
function scoreTotal(p: CalibratorPolicy, channels: ChannelVis2[], sepDeg: number, deltaAirmass: number | null, deltaR: number | null, tier: string, counted: number): number {
  let diam = 0;
  for (const c of channels) diam = Math.max(diam, c.vis2Err / c.vis2);
  const sky = p.kSkyPer10Deg * (sepDeg / 10);
  const airmass = deltaAirmass === null ? 0 : p.kAirmassPer02 * (deltaAirmass / 0.2);
  const mag = deltaR === null ? 0 : p.kMagPerMag * Math.max(0, Math.abs(deltaR) - 0.5);
  const resolved = p.kResolved * (1 - channels[0].vis2);
  const total = Math.sqrt(diam ** 2 + sky ** 2 + airmass ** 2 + mag ** 2 + resolved ** 2) + counted * p.warningPenalty + (tier === 'C' ? p.tierCPenalty : 0);
  return Math.round(total * 1e6) / 1e6;
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
  const counted = warnings.filter((w) => w.code !== 'tier' && w.code !== 'selection').length;
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
