/** Contract of the astro domain: night events, per-target observability, uv coverage, survey summary. */
import { z } from 'zod';
import { STATION_NAMES } from '../astro/types';
import { defineMethod, type EventMap, type MethodMap } from './define';

const nightSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'night must be YYYY-MM-DD');
const stationsSchema = z.array(z.enum(STATION_NAMES)).min(2).max(6).default(['S1', 'S2', 'E1', 'E2', 'W1', 'W2']);
const popsSchema = z.union([z.literal('auto'), z.string().regex(/^[1-5]{2,6}$/, 'pops must be auto or one digit 1-5 per station')]).default('auto');

/** Constraints shared by every observability method (CHARA/SPICA defaults). */
const constraintsSchema = {
  night: nightSchema,
  stations: stationsSchema,
  pops: popsSchema,
  minElevationDeg: z.number().min(0).max(85).default(30),
  twilightDeg: z.number().min(-18).max(0).default(-12),
  minMoonSepDeg: z.number().min(0).max(90).default(5),
  stepMin: z.number().min(1).max(60).default(5),
  useDelayLines: z.boolean().default(true),
};

/** A target given by survey id, or by coordinates (J2000, degrees). */
const targetRefSchema = {
  targetId: z.string().min(1).optional(),
  raDeg: z.number().min(0).max(360).optional(),
  decDeg: z.number().min(-90).max(90).optional(),
  name: z.string().max(200).optional(),
};

/** Sun/twilight events of a night as UTC MJD (NaN never appears: missing events are null). */
export interface NightEventsDto {
  sunsetMjd: number | null;
  sunriseMjd: number | null;
  nauticalDuskMjd: number | null;
  nauticalDawnMjd: number | null;
  astroDuskMjd: number | null;
  astroDawnMjd: number | null;
}

/** `astro.night` result: the grid every other astro method samples. */
export interface NightInfo {
  night: string;
  stepMin: number;
  site: { latDeg: number; lonDeg: number; heightM: number };
  events: NightEventsDto;
  timesMjd: number[];
  lstH: number[];
  sunAltDeg: number[];
  moonAltDeg: number[];
  /** ASPRO2's FLI: illuminated fraction while the Moon is up in the dark, 0 when it stays down. */
  moonIllumination: number;
  /** Illuminated fraction at local midnight, whether or not the Moon is up. */
  moonPhaseFraction: number;
  /** When the Moon is above the horizon between sunset and sunrise (UTC MJD). */
  moonUp: Array<{ startMjd: number; endMjd: number }>;
}

/** One bar row of the ASPRO2-style detailed view: 1 where the constraint holds. */
export interface ConstraintRow {
  /** e.g. "night", "elevation", "horizon W1", "moon", "S1-E1". */
  label: string;
  kind: 'night' | 'elevation' | 'horizon' | 'moon' | 'baseline';
  ok: number[];
}

/** `astro.targetNight` result. */
export interface TargetNight {
  target: { id: string | null; name: string; raDeg: number; decDeg: number };
  night: NightInfo;
  stations: string[];
  /** PoPs used, one digit per station ('' without delay lines). */
  pops: string;
  /** Whether `pops` came from the best-PoP search. */
  popsAuto: boolean;
  altDeg: number[];
  azDeg: number[];
  haH: number[];
  airmass: number[];
  moonSepDeg: number[];
  observable: number[];
  /** Human reasons per sample (empty where observable). */
  reasons: string[][];
  rows: ConstraintRow[];
  intervals: Array<{ startMjd: number; endMjd: number }>;
  observableMin: number;
  /** The constraint that leaves no observable sample, as a sentence (null when observable). */
  limitingReason: string | null;
}

/** `astro.uv` result: tracks in metres and the wavelengths to scale them with. */
export interface UvResult {
  target: { id: string | null; name: string; raDeg: number; decDeg: number };
  stations: string[];
  pops: string;
  tracks: Array<{ baseline: string; timesMjd: number[]; haH: number[]; uM: number[]; vM: number[] }>;
  /** Reference wavelength of the mode and (thinned) channel wavelengths, µm. */
  lambdaRefUm: number;
  channelsUm: number[];
}

/** One row of `astro.surveyObservability`. */
export interface SurveyObservabilityRow {
  id: string;
  name: string;
  pops: string;
  observableMin: number;
  intervals: Array<{ startMjd: number; endMjd: number }>;
  maxAltDeg: number;
  /** Main reason the target is not observable at its highest dark sample ('' when observable). */
  mainReason: string;
}

/** `astro.surveyObservability` result. */
export interface SurveyObservability {
  night: string;
  stations: string[];
  stepMin: number;
  events: NightEventsDto;
  computeMs: number;
  rows: SurveyObservabilityRow[];
}

/** Methods of the astro domain (implemented by electron/services/astro). */
export const astroMethods = {
  'astro.night': defineMethod<NightInfo>()({
    doc: 'Night events (sunset, −12°/−18° twilights, sunrise), the sample grid, Sun and Moon altitude for a night at CHARA.',
    params: z.object({ night: nightSchema, stepMin: z.number().min(1).max(60).default(5) }).strict(),
  }),
  'astro.targetNight': defineMethod<TargetNight>()({
    doc: 'One target over a night: elevation curve, per-constraint and per-baseline bars with reasons, PoPs used, observable intervals.',
    params: z.object({ ...targetRefSchema, ...constraintsSchema }).strict(),
  }),
  'astro.uv': defineMethod<UvResult>()({
    doc: 'uv coverage of a target over its observable part of the night (metres per baseline) with the SPICA mode wavelengths.',
    params: z
      .object({
        ...targetRefSchema,
        ...constraintsSchema,
        mode: z.string().default('LR'),
        onlyObservable: z.boolean().default(true),
        maxChannels: z.number().int().min(1).max(600).default(12),
      })
      .strict(),
  }),
  'astro.surveyObservability': defineMethod<SurveyObservability>()({
    doc: 'Observability summary of every live survey target (or the given ids) for a night and configuration.',
    params: z.object({ ...constraintsSchema, targetIds: z.array(z.string()).optional() }).strict(),
  }),
} satisfies MethodMap;

/** The astro domain pushes no events. */
export const astroEvents = {} satisfies EventMap;
