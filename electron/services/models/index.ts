/** The models domain service: a target's model (resolution, local edits) and night predictions. */
import { ApiError } from '../../../shared/contract/define';
import type { ModelCheck, modelsMethods, ModelPrediction, TargetModelInfo } from '../../../shared/contract/models';
import { targetUv } from '../../../shared/astro/detail';
import { defaultObservabilityOptions } from '../../../shared/astro/observability';
import type { StationName } from '../../../shared/astro/types';
import {
  baselineVerdicts,
  ModelError,
  parseModelText,
  predictNight,
  spicaModeName,
  writeAsproModelXml,
  writeModelJson,
  type ObjectModel,
  type ResolvedModel,
} from '../../../shared/models';
import { resolveRowModel, spicadbModelOf, targetModelRow, type TargetModelRow } from '../../db/repos/target-models';
import { setTargetModel } from '../../db/repos/targets';
import type { DomainService, ServiceContext } from '../context';


function parseOrThrow(text: string): ObjectModel {
  try {
    return parseModelText(text);
  } catch (e) {
    if (e instanceof ModelError) throw new ApiError('invalid-input', `model: ${e.message}`);
    throw e;
  }
}

const round = (v: number, digits: number) => Number(v.toPrecision(digits));

export function createModelsService(ctx: ServiceContext): DomainService<typeof modelsMethods> {
  const row = (id: string): TargetModelRow => {
    const r = targetModelRow(ctx.store, id);
    if (!r) throw new ApiError('not-found', `no survey target with id ${id}`);
    return r;
  };

  const info = (r: TargetModelRow, lambdaUm: number): TargetModelInfo => {
    const resolved = resolveRowModel(r, lambdaUm);
    return {
      targetId: r.id,
      name: r.name,
      source: resolved.source,
      note: resolved.note,
      warnings: resolved.warnings,
      components: resolved.model,
      json: resolved.model ? writeModelJson(resolved.model) : null,
      xml: resolved.model ? writeAsproModelXml(resolved.model) : null,
      localJson: r.model_json,
      spicadbText: spicadbModelOf(r),
      lambdaUm,
    };
  };

  return {
    handlers: {
      'models.get': ({ targetId, lambdaUm }) => info(row(targetId), lambdaUm),
      'models.set': ({ targetId, model }) => {
        row(targetId);
        const json = model === null || model.trim() === '' ? null : writeModelJson(parseOrThrow(model));
        setTargetModel(ctx.store, targetId, json);
        return info(row(targetId), 0.72);
      },
      'models.check': ({ text }): ModelCheck => {
        try {
          const m = parseModelText(text);
          return { ok: true, error: null, componentIndex: null, parameter: null, components: m, json: writeModelJson(m), xml: writeAsproModelXml(m) };
        } catch (e) {
          if (!(e instanceof ModelError)) throw e;
          return { ok: false, error: e.message, componentIndex: e.componentIndex, parameter: e.parameter, components: null, json: null, xml: null };
        }
      },
      'models.predict': (p): ModelPrediction => {
        const t0 = performance.now();
        let mode: string;
        try {
          mode = spicaModeName(p.mode);
        } catch (e) {
          throw new ApiError('invalid-input', (e as Error).message);
        }
        let target: { id: string | null; name: string; raDeg: number; decDeg: number };
        let resolved: ResolvedModel | null = null;
        const r = p.targetId ? row(p.targetId) : null;
        if (r) target = { id: r.id, name: r.name, raDeg: r.ra_deg, decDeg: r.dec_deg };
        else if (p.raDeg !== undefined && p.decDeg !== undefined) target = { id: null, name: p.name ?? `${p.raDeg} ${p.decDeg}`, raDeg: p.raDeg, decDeg: p.decDeg };
        else throw new ApiError('invalid-input', 'give targetId, or raDeg and decDeg');
        const { night, pops, minElevationDeg, twilightDeg, minMoonSepDeg, stepMin, useDelayLines } = p;
        const options = defaultObservabilityOptions(night, { stations: p.stations as StationName[], pops, minElevationDeg, twilightDeg, minMoonSepDeg, stepMin, useDelayLines });
        let uv;
        try {
          uv = targetUv(target, options, mode, p.onlyObservable, p.maxChannels);
        } catch (e) {
          throw new ApiError('invalid-input', (e as Error).message);
        }
        if (p.model !== undefined) {
          resolved = { model: parseOrThrow(p.model), source: 'local', note: 'model given with the request', warnings: [] };
        } else if (r) {
          resolved = resolveRowModel(r, uv.lambdaRefUm);
        } else {
          throw new ApiError('invalid-input', 'a position without a target needs a model');
        }
        if (!resolved.model) throw new ApiError('invalid-input', `${target.name}: ${resolved.note}`);
        const prediction = predictNight(resolved.model, uv.stations, uv.tracks, uv.channelsUm);
        const L = prediction.lambdaUm.length;
        const T = prediction.nTimes;
        const block = T * L;
        const slice = (a: Float64Array, i: number, digits: number) => Array.from(a.subarray(i * block, (i + 1) * block), (v) => round(v, digits));
        const bounds = { vis2Min: p.vis2Min, vis2Max: p.vis2Max };
        return {
          target,
          model: { source: resolved.source, note: resolved.note, warnings: resolved.warnings, json: writeModelJson(resolved.model) },
          stations: uv.stations,
          pops: uv.pops,
          mode,
          lambdaUm: [...prediction.lambdaUm],
          timesMjd: uv.tracks[0]?.timesMjd ?? [],
          baselines: uv.tracks.map((t, b) => ({ baseline: t.baseline, uM: t.uM, vM: t.vM, vis2: slice(prediction.vis2, b, 6), phaseDeg: slice(prediction.phaseDeg, b, 6) })),
          triangles: prediction.triangles.map((tri, n) => ({
            triangle: tri.name,
            baselines: tri.baselines.map((b) => prediction.baselines[b]) as [string, string, string],
            closureDeg: slice(prediction.closureDeg, n, 6),
          })),
          verdicts: baselineVerdicts(prediction, bounds),
          bounds,
          computeMs: Math.round((performance.now() - t0) * 10) / 10,
        };
      },
    },
  };
}
