/**
 * Calibrator-selection policy: every threshold and ranking coefficient of the note's §6, editable
 * by the team and saved in the settings. Coefficients are policy, not physics; the defaults are
 * the note's.
 */
import { z } from 'zod';
import { CHARA } from '../chara/model';

/** SPICA's bluest channel (µm): the first channel of the LR mode in ASPRO2's CHARA.xml. Vetoes on V² use it. */
export const SPICA_BLUEST_UM = CHARA.spica.modes.find((m) => m.name === 'LR')!.channels![0].lambdaUm;
/** SPICA's reddest LR channel (µm). */
export const SPICA_REDDEST_UM = CHARA.spica.modes.find((m) => m.name === 'LR')!.channels!.at(-1)!.lambdaUm;

/** Named policy presets: the app's own rules, or NSS's selection (dsalabert/spica-nss v2025-09). */
export const policyPresets = ['spica-companion', 'nss-2025'] as const;
/** One of `policyPresets`. */
export type PolicyPreset = (typeof policyPresets)[number];

/**
 * NSS's thresholds (`nss.py` v2025-09, class attributes and `query_calprim` / `query_calsec`), all
 * strict inequalities as NSS writes them. Primary calibrators: RA in the night's LST window, Dec
 * within median ± 5°, V within median ± 2. Secondary (JSDC): Dec ± 2°, V < median + 2, CalFlag 0,
 * LDD χ² < 2, e_LDD/UDD_R < 10 %, V²(UDD_R, 0.75 µm, longest baseline) > 0.7; Be* and BadCal removed;
 * more than 50 → the list is refused.
 */
export const nssThresholdsSchema = z.object({
  primDecRangeDeg: z.number().positive().default(5),
  primVmagRange: z.number().positive().default(2),
  secDecRangeDeg: z.number().positive().default(2),
  secVmagRange: z.number().positive().default(2),
  secMaxLddChi2: z.number().positive().default(2),
  secMaxRelErrPct: z.number().positive().default(10),
  secMinVis2: z.number().min(0).max(1).default(0.7),
  secLambdaUm: z.number().min(0.4).max(2.5).default(0.75),
  /** NSS's "Max. Baseline" slider (30–330 m, default 330); with a configuration, its longest baseline. */
  maxBaselineM: z.number().positive().max(400).default(330),
  maxSecondaries: z.number().int().min(1).default(50),
  /** Two stars closer than this are the same (NSS's JOIN_SAME_TARGET_ANGLE). */
  sameStarArcsec: z.number().positive().default(5),
});
/** NSS thresholds. */
export type NssThresholds = z.output<typeof nssThresholdsSchema>;

/** Schema of a policy; every field has the note's default. */
export const calibratorPolicySchema = z.object({
  /** Which selection rules apply: the app's own (below) or NSS 2025's (`nss`). */
  preset: z.enum(policyPresets).default('spica-companion'),
  /** Rank calibrators of the SPICA primary list first (NSS treats them first). */
  preferPrimary: z.boolean().default(true),
  nss: nssThresholdsSchema.default(() => nssThresholdsSchema.parse({})),
  /** Search radius around the target (deg). */
  radiusDeg: z.number().positive().max(60).default(10),
  /** Radius used when fewer than `minCandidates` pass at `radiusDeg`. */
  widenRadiusDeg: z.number().positive().max(90).default(20),
  minCandidates: z.number().int().min(0).max(50).default(3),
  /** Largest |ΔR| preferred (no magnitude penalty below 0.5 mag) and allowed (mag). */
  maxDeltaMagPreferred: z.number().min(0).default(1),
  maxDeltaMagAllowed: z.number().min(0).default(2),
  /** Faintest calibrator R when the target magnitude is unknown (SPICA tip-tilt/AO limit). */
  faintestRmag: z.number().default(8.5),
  /** Smallest V² allowed at the longest baseline and SPICA's bluest channel. */
  minVis2: z.number().min(0).max(1).default(0.6),
  /** Largest σ(V²)/V² allowed (fraction). */
  maxVis2RelErr: z.number().positive().default(0.02),
  /** Largest σθ/θ allowed (fraction). */
  maxDiamRelErr: z.number().positive().default(0.1),
  /** Largest reduced χ² of a JSDC diameter. */
  maxDiamChi2: z.number().positive().default(5),
  minDecDeg: z.number().min(-90).max(90).default(-25),
  maxAirmass: z.number().min(1).default(1.8),
  /** WDS companion rules: always veto below `wdsVetoArcsec`; below `wdsContamArcsec` when Δm < `wdsContamDmag`. */
  wdsVetoArcsec: z.number().min(0).default(2),
  wdsContamArcsec: z.number().min(0).default(5),
  wdsContamDmag: z.number().default(3),
  maxRuwe: z.number().positive().default(1.4),
  maxIpdFracMultiPeak: z.number().min(0).default(2),
  maxPmaSnr: z.number().positive().default(3),
  /** v sin i above which a star is flagged as oblate (km/s). */
  fastRotatorKms: z.number().positive().default(150),
  /** Ranking coefficients, as fractions of V²: per 10° of sky, per 0.2 airmass, per mag beyond 0.5, per (1 − V²). */
  kSkyPer10Deg: z.number().min(0).default(0.01),
  kAirmassPer02: z.number().min(0).default(0.01),
  kMagPerMag: z.number().min(0).default(0.01),
  kResolved: z.number().min(0).default(0.01),
  /** Added per soft warning, and for a tier-C (V, B−V only) diameter. */
  warningPenalty: z.number().min(0).default(0.005),
  tierCPenalty: z.number().min(0).default(0.02),
  /**
   * SPICA channels (µm) shown: V² is computed at each and the worst sets σ_diam. SPICA's bluest
   * channel is always added, since the vetoes are computed there.
   */
  lambdasUm: z.array(z.number().min(0.4).max(2.5)).min(1).default([SPICA_BLUEST_UM, 0.75, SPICA_REDDEST_UM]),
  /** Longest baseline (m) used when no night/configuration is given (CHARA S1–E1). */
  defaultBaselineM: z.number().positive().max(400).default(330),
  /** How many ranked candidates to return, and how many to suggest. */
  maxCandidates: z.number().int().min(1).max(500).default(30),
  suggestCount: z.number().int().min(1).max(10).default(4),
});

/** A complete policy. */
export type CalibratorPolicy = z.output<typeof calibratorPolicySchema>;

/** The note's defaults. */
export const DEFAULT_POLICY: CalibratorPolicy = calibratorPolicySchema.parse({});

/** Version tag of the policy schema, shown in provenance. */
export const POLICY_VERSION = 'spica-cal-policy/2';

/** Channels a proposal computes: the policy's, with SPICA's bluest first (vetoes use it). */
export function proposalLambdasUm(p: CalibratorPolicy): number[] {
  return [...new Set([SPICA_BLUEST_UM, ...p.lambdasUm])].sort((a, b) => a - b);
}
