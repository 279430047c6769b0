/**
 * The planner's view of the Calibrators service: the store's one engine (`ctx.peers.calibrators`,
 * with BadCal, the policy/preset, imports, exclusions and the team's assignments) asked in batches
 * for the targets the optimiser may use, with a cache per night and configuration that is dropped
 * whenever the service says something changed. Nothing unvetted unless the plan asks for it, and
 * then every such star is marked. Batches yield to the event loop between them, so the thread that
 * answers the UI keeps answering while a cold survey night is fetched.
 */
import type { CalibratorsForTargets, TargetCalibrators } from '../../../shared/contract/calibrators';
import { ApiError } from '../../../shared/contract/define';
import type { CalibratorChoice } from '../../../shared/planner/night-input';
import type { CalibratorsApi } from '../calibrators';

/** Targets per `forTargets` call: small enough to keep the UI thread answering between calls. */
const BATCH = 20;

/** What the planner asks about one target. */
export interface CalibratorQuery {
  key: string;
  targetId?: string;
  name: string;
  raDeg: number;
  decDeg: number;
  vmag: number | null;
  rmag?: number | null;
  spType?: string | null;
}

/** The night and configuration of a query (everything `forTargets` depends on besides the targets). */
export interface CalibratorContext {
  night: string;
  stations: string[];
  /** Omitted: the Calibrators service's defaults (what its screen uses). */
  minElevationDeg?: number;
  twilightDeg?: number;
  useDelayLines: boolean;
  count: number;
  allowUnvetted: boolean;
}

/** A `forTargets` answer as the planner uses it. */
export function choiceOf(t: TargetCalibrators, allowUnvetted: boolean): CalibratorChoice {
  // The service only returns unvetted stars when asked; a plan never uses one it did not ask for.
  const picks = t.calibrators.filter((c) => c.isVetted || allowUnvetted);
  const note = picks.length === 0 ? (t.refusal ?? undefined) : undefined;
  return {
    source: picks.length === 0 ? 'none' : t.source,
    calibrators: picks.map((c) => ({ key: c.key, name: c.name, raDeg: c.raDeg, decDeg: c.decDeg, vmag: c.vmag, ...(c.isVetted ? {} : { isVetted: false }) })),
    ...(note ? { note } : {}),
  };
}

export class CalibratorCache {
  private readonly cache = new Map<string, Map<string, CalibratorChoice>>();
  /** Bumped whenever the Calibrators service reports a change. */
  version = 0;
  private unsubscribe: (() => void) | null = null;

  constructor(private readonly api: () => CalibratorsApi | undefined) {}

  /** Drop everything (the service changed: BadCal, policy, imports, exclusions, assignments). */
  invalidate(): void {
    this.version++;
    this.cache.clear();
  }

  private service(): CalibratorsApi {
    const api = this.api();
    if (!api) throw new ApiError('unavailable', 'the Calibrators service is not available to the planner');
    if (!this.unsubscribe) this.unsubscribe = api.onChanged(() => this.invalidate());
    return api;
  }

  /**
   * Calibrators of `targets` (cached ones at once, the rest from the service in batches).
   * `progress(done, total)` after each batch; `isCancelled` is checked between batches.
   */
  async choices(
    context: CalibratorContext,
    targets: readonly CalibratorQuery[],
    progress: (done: number, total: number) => void,
    isCancelled: () => boolean,
  ): Promise<Map<string, CalibratorChoice>> {
    const api = this.service();
    const contextKey = JSON.stringify(context);
    let byTarget = this.cache.get(contextKey);
    if (!byTarget) {
      byTarget = new Map();
      this.cache.set(contextKey, byTarget);
      while (this.cache.size > 4) this.cache.delete(this.cache.keys().next().value as string);
    }
    const targetKey = (t: CalibratorQuery) => `${t.key}|${t.raDeg}|${t.decDeg}|${t.vmag}|${t.rmag ?? ''}|${t.spType ?? ''}`;
    const out = new Map<string, CalibratorChoice>();
    const missing: CalibratorQuery[] = [];
    for (const t of targets) {
      const hit = byTarget.get(targetKey(t));
      if (hit) out.set(t.key, hit);
      else missing.push(t);
    }
    const version = this.version;
    progress(out.size, targets.length);
    for (let i = 0; i < missing.length; i += BATCH) {
      if (isCancelled()) break;
      const batch = missing.slice(i, i + BATCH);
      const answer: CalibratorsForTargets = api.forTargets({
        targets: batch.map((t) => ({
          key: t.key,
          ...(t.targetId ? { targetId: t.targetId } : {}),
          name: t.name,
          raDeg: t.raDeg,
          decDeg: t.decDeg,
          vmag: t.vmag,
          ...(t.rmag !== undefined ? { rmag: t.rmag } : {}),
          ...(t.spType !== undefined ? { spType: t.spType } : {}),
        })),
        night: context.night,
        stations: context.stations,
        pops: 'auto',
        ...(context.minElevationDeg !== undefined ? { minElevationDeg: context.minElevationDeg } : {}),
        ...(context.twilightDeg !== undefined ? { twilightDeg: context.twilightDeg } : {}),
        useDelayLines: context.useDelayLines,
        count: context.count,
        allowUnvetted: context.allowUnvetted,
      });
      answer.targets.forEach((t, n) => {
        const choice = choiceOf(t, context.allowUnvetted);
        out.set(batch[n].key, choice);
        // Kept only if nothing changed meanwhile (a star marked bad during the fetch).
        if (this.version === version) byTarget.set(targetKey(batch[n]), choice);
      });
      progress(out.size, targets.length);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return out;
  }

  close(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }
}
