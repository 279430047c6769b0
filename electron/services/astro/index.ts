/** The astro domain service: implements `astroMethods` of the contract over the pure engine. */
import { ApiError } from '../../../shared/contract/define';
import type { astroMethods } from '../../../shared/contract/astro';
import { nightInfo, resultEvents, surveyRows, targetNight, targetUv, type NamedTarget } from '../../../shared/astro/detail';
import { computeNightObservability } from '../../../shared/astro/observability';
import type { ObservabilityOptions, StationName } from '../../../shared/astro/types';
import type { DomainService, ServiceContext } from '../context';

interface TargetRow {
  id: string;
  name: string;
  raDeg: number;
  decDeg: number;
}

interface ConstraintParams {
  night: string;
  stations: StationName[];
  pops: string;
  minElevationDeg: number;
  twilightDeg: number;
  minMoonSepDeg: number;
  stepMin: number;
  useDelayLines: boolean;
}

function optionsOf(p: ConstraintParams): ObservabilityOptions {
  return {
    night: p.night,
    stations: p.stations,
    pops: p.pops,
    minElevationDeg: p.minElevationDeg,
    twilightDeg: p.twilightDeg,
    minMoonSepDeg: p.minMoonSepDeg,
    stepMin: p.stepMin,
    useDelayLines: p.useDelayLines,
  };
}

/** Engine errors are about the caller's input (bad night, PoPs, stations): report them as such. */
function asInputError<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ApiError) throw e;
    throw new ApiError('invalid-input', e instanceof Error ? e.message : String(e));
  }
}

export function createAstroService(ctx: ServiceContext): DomainService<typeof astroMethods> {
  const byId = ctx.store.sqlite.prepare<[string], TargetRow>(
    'SELECT id, name, ra_deg AS raDeg, dec_deg AS decDeg FROM targets WHERE id = ? AND deleted = 0',
  );
  const allLive = ctx.store.sqlite.prepare<[], TargetRow>(
    'SELECT id, name, ra_deg AS raDeg, dec_deg AS decDeg FROM targets WHERE deleted = 0 ORDER BY ra_deg',
  );

  const resolveTarget = (p: { targetId?: string; raDeg?: number; decDeg?: number; name?: string }): NamedTarget => {
    if (p.targetId) {
      const row = byId.get(p.targetId);
      if (!row) throw new ApiError('not-found', `no survey target with id ${p.targetId}`);
      return { ...row };
    }
    if (p.raDeg === undefined || p.decDeg === undefined) {
      throw new ApiError('invalid-input', 'give targetId, or raDeg and decDeg');
    }
    const raDeg = p.raDeg === 360 ? 0 : p.raDeg;
    return { id: null, name: p.name ?? `${raDeg.toFixed(4)} ${p.decDeg >= 0 ? '+' : ''}${p.decDeg.toFixed(4)}`, raDeg, decDeg: p.decDeg };
  };

  return {
    handlers: {
      'astro.night': ({ night, stepMin }) => asInputError(() => nightInfo(night, stepMin)),
      'astro.targetNight': (p) => {
        const target = resolveTarget(p);
        return asInputError(() => targetNight(target, optionsOf(p)));
      },
      'astro.uv': (p) => {
        const target = resolveTarget(p);
        return asInputError(() => targetUv(target, optionsOf(p), p.mode, p.onlyObservable, p.maxChannels));
      },
      'astro.surveyObservability': (p) => {
        const rows = p.targetIds
          ? p.targetIds.map((id) => {
              const row = byId.get(id);
              if (!row) throw new ApiError('not-found', `no survey target with id ${id}`);
              return row;
            })
          : allLive.all();
        const t0 = performance.now();
        const result = asInputError(() => computeNightObservability(rows, optionsOf(p)));
        const computeMs = performance.now() - t0;
        return {
          night: p.night,
          stations: result.options.stations,
          stepMin: p.stepMin,
          events: resultEvents(result),
          computeMs: Math.round(computeMs * 10) / 10,
          rows: surveyRows(
            rows.map((r) => r.id),
            rows.map((r) => r.name),
            result,
          ),
        };
      },
    },
  };
}
