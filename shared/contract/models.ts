/**
 * Contract of the models domain: a target's object model (ASPRO2/LITpro analytical models, SPICA-DB
 * JSON form), its local edits, and predicted V², phase and closure phase along a night's tracks.
 */
import { z } from 'zod';
import { STATION_NAMES } from '../astro/types';
import type { BaselineVerdict, ModelSource } from '../models';
import { defineMethod, type EventMap, type MethodMap } from './define';

/** One model component as the API carries it (the engine's `ModelComponent`). */
export interface ModelComponentDto {
  type: string;
  name?: string;
  params: Record<string, number>;
}

/** A target's model and where it comes from. */
export interface TargetModelInfo {
  targetId: string;
  name: string;
  /** `local` (edited here / from ASPRO2), `spicadb`, a uniform-disk fallback, or `none`. */
  source: ModelSource;
  note: string;
  warnings: string[];
  /** The model used for predictions (null when `none`). */
  components: ModelComponentDto[] | null;
  /** The same in SPICA-DB JSON form and as ASPRO2 XML (null when `none`). */
  json: string | null;
  xml: string | null;
  /** The stored local model (`model_json`), and SPICA-DB's model text as imported. */
  localJson: string | null;
  spicadbText: string | null;
  /** Wavelength (µm) the uniform-disk fallback was computed at. */
  lambdaUm: number;
}

/** Result of checking a model text. */
export interface ModelCheck {
  ok: boolean;
  error: string | null;
  /** 0-based component and parameter the error is about, when it is about one. */
  componentIndex: number | null;
  parameter: string | null;
  components: ModelComponentDto[] | null;
  json: string | null;
  xml: string | null;
}

/**
 * Predictions along a night's tracks. Per-baseline and per-triangle arrays are flattened
 * time-major, channel-minor: value[t·lambdaUm.length + l].
 */
export interface ModelPrediction {
  target: { id: string | null; name: string; raDeg: number; decDeg: number };
  model: { source: ModelSource; note: string; warnings: string[]; json: string | null };
  stations: string[];
  pops: string;
  mode: string;
  lambdaUm: number[];
  /** UTC MJD of the samples shared by every baseline. */
  timesMjd: number[];
  baselines: Array<{ baseline: string; uM: number[]; vM: number[]; vis2: number[]; phaseDeg: number[] }>;
  triangles: Array<{ triangle: string; baselines: [string, string, string]; closureDeg: number[] }>;
  verdicts: BaselineVerdict[];
  bounds: { vis2Min: number; vis2Max: number };
  computeMs: number;
}

const modelTextSchema = z.string().max(200_000);

/** Methods of the models domain (implemented by electron/services/models). */
export const modelsMethods = {
  'models.get': defineMethod<TargetModelInfo>()({
    doc: "A target's model: local edit, else SPICA-DB's, else a uniform disk of its predicted diameter (marked as a fallback).",
    params: z.object({ targetId: z.string().min(1), lambdaUm: z.number().min(0.3).max(3).default(0.72) }).strict(),
  }),
  'models.set': defineMethod<TargetModelInfo>()({
    doc: "Store (or clear with null / empty text) a target's local model, given as SPICA-DB JSON or ASPRO2 XML; checked first. Local only: never pushed to SPICA-DB.",
    params: z.object({ targetId: z.string().min(1), model: modelTextSchema.nullable() }).strict(),
  }),
  'models.check': defineMethod<ModelCheck>()({
    doc: 'Check a model text (SPICA-DB JSON or ASPRO2 XML) without storing it; errors name the component and parameter.',
    params: z.object({ text: modelTextSchema }).strict(),
  }),
  'models.predict': defineMethod<ModelPrediction>()({
    doc: "Predicted V², phase and closure phase along a target's tracks for a night and configuration, with the per-baseline 'resolved enough?' verdict.",
    params: z
      .object({
        targetId: z.string().min(1).optional(),
        raDeg: z.number().min(0).max(360).optional(),
        decDeg: z.number().min(-90).max(90).optional(),
        name: z.string().max(200).optional(),
        /** Model text overriding the target's (JSON or XML). */
        model: modelTextSchema.optional(),
        night: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'night must be YYYY-MM-DD'),
        stations: z.array(z.enum(STATION_NAMES)).min(3).max(6).default(['S1', 'S2', 'E1', 'E2', 'W1', 'W2']),
        pops: z.union([z.literal('auto'), z.string().regex(/^[1-5]{3,6}$/)]).default('auto'),
        minElevationDeg: z.number().min(0).max(85).default(30),
        twilightDeg: z.number().min(-18).max(0).default(-12),
        minMoonSepDeg: z.number().min(0).max(90).default(5),
        stepMin: z.number().min(1).max(60).default(10),
        useDelayLines: z.boolean().default(true),
        onlyObservable: z.boolean().default(true),
        mode: z.string().default('LR'),
        maxChannels: z.number().int().min(1).max(600).default(8),
        vis2Min: z.number().min(0).max(1).default(0.05),
        vis2Max: z.number().min(0).max(1).default(0.9),
      })
      .strict(),
  }),
} satisfies MethodMap;

/** The models domain pushes no events (target edits surface as `survey.changed`). */
export const modelsEvents = {} satisfies EventMap;
