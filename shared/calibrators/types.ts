/**
 * Results of the calibrator engine as they cross the API: JSON-only, units in names.
 */

/** Diameter tiers: A imported JSDC, B computed by the JSDC engine, C from V and B−V only, M measured (JMDC). */
export type DiameterTier = 'A' | 'B' | 'C' | 'M';

/** Rule families of vetoes and warnings. */
export type FlagCode =
  | 'badcal'
  | 'emission'
  | 'multiple'
  | 'variable'
  | 'diameter'
  | 'resolved'
  | 'observability'
  | 'rotation'
  | 'peculiar'
  | 'giant'
  | 'photometry'
  | 'infrared'
  | 'tier'
  | 'measured'
  | 'excluded'
  | 'selection';

/** One veto or warning, with the catalogue it came from. */
export interface CalibratorFlag {
  code: FlagCode;
  severity: 'veto' | 'warn';
  /** Short chip text, e.g. "Be", "WDS 1.2″", "Var: DSCTC". */
  label: string;
  /** Sentence naming the rule and the value that triggered it. */
  reason: string;
  /** Source of the value (e.g. "SIMBAD OTYPE", "GCVS", "BSC5 SpType", "local BadCal"). */
  source: string;
}

/** V² of a candidate at one wavelength and the night's longest baseline. */
export interface ChannelVis2 {
  lambdaUm: number;
  udMas: number;
  vis2: number;
  vis2Err: number;
}

/** Terms of the expected calibration error (fractions of V²; total is their quadrature sum plus penalties). */
export interface ScoreTerms {
  diam: number;
  sky: number;
  airmass: number;
  mag: number;
  resolved: number;
  penalty: number;
  total: number;
}

/** Identity and position shared by candidates and rejected stars. */
export interface CalibratorStarRef {
  /** Stable key: "HIP 1234", "HIP 110A", or "JSDC HD 9943" for imported rows without HIP. */
  key: string;
  name: string;
  hd: number | null;
  hip: number | null;
  raDeg: number;
  decDeg: number;
  vmag: number | null;
  rmag: number | null;
  spType: string;
  sepDeg: number;
  /** Position angle from the target, east of north (deg). */
  paDeg: number;
  /** On the SPICA primary-calibrator list (imported `spica-primary`). */
  isPrimary: boolean;
}

/** When a calibrator can be observed on the night, with the configuration and PoPs of the proposal. */
export interface ObservableWindow {
  /** Runs of observable grid samples, MJD (UTC). */
  intervalsMjd: Array<[number, number]>;
  /** Total observable time (h). */
  hours: number;
  /** PoPs used, one digit per station ('' when delay lines are off). */
  pops: string;
  /** What the windows were computed with, e.g. "S1-E1, PoPs 12, 30°, −12° twilight, 10-min grid". */
  basis: string;
}

/** A ranked, eligible calibrator. */
export interface CalibratorCandidate extends CalibratorStarRef {
  rank: number;
  tier: DiameterTier;
  /** Where the diameter came from, e.g. "JSDC engine V−J,V−H,V−K (SIMBAD J H K)". */
  diameterSource: string;
  lddMas: number;
  eLddMas: number;
  /** θ_UD and σ at the first channel (reference 0.65 µm). */
  udMas: number;
  eUdMas: number;
  channels: ChannelVis2[];
  deltaRmag: number | null;
  deltaAirmass: number | null;
  score: number;
  terms: ScoreTerms;
  /** Warnings only (vetoed stars are in `rejected`). */
  flags: CalibratorFlag[];
  role: 'suggested' | 'check' | null;
  isAssigned: boolean;
  isPinned: boolean;
  /** Observable windows on the proposal's night, or null without a night. */
  observable: ObservableWindow | null;
}

/** A star near the target that a hard rule removed. */
export interface RejectedCalibrator extends CalibratorStarRef {
  tier: DiameterTier | null;
  udMas: number | null;
  /** The first veto's rule and sentence. */
  rule: FlagCode;
  reason: string;
  flags: CalibratorFlag[];
  /** Rejected by the team itself (local BadCal or excluded for this target): always listed. */
  isUserMarked: boolean;
}

/** What the proposal was computed for, and from what. */
export interface ProposalProvenance {
  engineVersion: string;
  policyVersion: string;
  backboneBuiltAt: string;
  sources: Array<{ id: string; what: string; licence: string }>;
  imports: Array<{ kind: string; file: string; importedAtMs: number; rows: number }>;
  /** How the longest baseline was obtained. */
  baselineSource: string;
  searchedRadiusDeg: number;
  consideredCount: number;
}

/** The target a proposal is for. */
export interface ProposalTarget {
  name: string;
  raDeg: number;
  decDeg: number;
  vmag: number | null;
  rmag: number | null;
  targetId: string | null;
}

/** Result of `calibrators.propose`. */
export interface CalibratorProposal {
  target: ProposalTarget;
  night: string | null;
  stations: string[] | null;
  baselineM: number;
  lambdasUm: number[];
  /** Target's observable window used for airmass terms, as MJD, when a night was given. */
  windowMjd: [number, number] | null;
  candidates: CalibratorCandidate[];
  rejected: RejectedCalibrator[];
  /** Rejected stars before the list was cut (nearest first, every user-marked star kept). */
  rejectedTotal: number;
  /** Eligible stars before the list was cut to the policy's `maxCandidates`. */
  candidatesTotal: number;
  /** Policy preset the proposal used. */
  preset: 'spica-companion' | 'nss-2025';
  /** Set when the preset refuses to give a list (NSS: more than 50 secondary calibrators), with why. */
  refusal: string | null;
  /** The wavelength (µm) the V² vetoes were computed at: SPICA's bluest channel. */
  vetoLambdaUm: number;
  provenance: ProposalProvenance;
}

/** Engine version string, shown in provenance. */
export const ENGINE_VERSION = 'spica-cal-engine/2 (JSDC polynomials 2017-03-30, SearchCal 5.1 type scan, 2 % bias, colour check)';
