/**
 * Calibrator-selection policy: every threshold and ranking coefficient of the note's §6, editable
 * by the team and saved in the settings. Coefficients are policy, not physics; the defaults are
 * the note's.
 */
import { z } from 'zod';

/** Schema of a policy; every field has the note's default. */
export const calibratorPolicySchema = z.object({
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
  /** Smallest V² allowed at the longest baseline and 0.65 µm. */
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
  /** SPICA channels (µm): V² is computed at each and the worst sets σ_diam. */
  lambdasUm: z.array(z.number().min(0.4).max(2.5)).min(1).default([0.65, 0.85]),
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
export const POLICY_VERSION = 'spica-cal-policy/1';
