/**
 * One planning run end to end, shared by the planner service and the CLI's CSV mode: observe the
 * night and find the plausible targets (a job), fetch their calibrators (the caller's function:
 * the Calibrators service), plan (a job), and while the plan says some targets without
 * calibrators would fit, fetch theirs and plan again (at most three more rounds).
 */
import type { ObjectModel } from '../../../shared/models';
import type { CalibratorChoice } from '../../../shared/planner/night-input';
import type { PlanCandidate } from '../../../shared/planner/types';
import type { PlanJob, PlanJobResult, PrepareJob, PrepareResult, Progress } from '../../../shared/planner/pipeline';
import type { PlanProgress } from '../../../shared/contract/planner';
import { cancelled, type JobHandle } from './plan-runner';

/** Where jobs run (a `PlanRunner`). */
export interface JobRunner {
  prepare(job: PrepareJob, progress: Progress): JobHandle<PrepareResult>;
  plan(job: PlanJob, progress: Progress): JobHandle<PlanJobResult>;
}

export interface OrchestrateArgs {
  prepare: PrepareJob;
  runner: JobRunner;
  /** Calibrators of targets by index; `progress(done, total)` per batch. */
  fetch(indices: number[], progress: (done: number, total: number) => void): Promise<Map<number, CalibratorChoice>>;
  /** Models of targets by index (for the V² preference). */
  models?(indices: number[]): Array<[number, ObjectModel]>;
  /** Everything of the plan job but the night, calibrators and models. */
  plan: Omit<PlanJob, 'prepare' | 'choices' | 'models'>;
  /** Ask calibrators for every observable target at once (no pruning), e.g. when none are needed. */
  everyTarget?: boolean;
  progress(p: Omit<PlanProgress, 'requestId' | 'night'>): void;
  isCancelled(): boolean;
  /** The job in flight, so a cancel can reach the worker. */
  onJob?(handle: JobHandle<unknown>): void;
}

export interface OrchestrateResult {
  prep: PrepareResult;
  /** The last plan job's result, with its candidates (these jobs hold none, so they always come back). */
  out: PlanJobResult & { candidates: PlanCandidate[] };
  choices: Array<[number, CalibratorChoice]>;
  models: Array<[number, ObjectModel]>;
}

const MAX_REFILL_ROUNDS = 3;

export async function orchestrate(a: OrchestrateArgs): Promise<OrchestrateResult> {
  const jobProgress: Progress = (phase, done, total) =>
    a.progress({ phase, done, total, message: phase === 'observing' ? `observability of ${done} of ${total} targets` : 'optimising the night' });
  const check = () => {
    if (a.isCancelled()) throw cancelled();
  };
  const prepHandle = a.runner.prepare(a.prepare, jobProgress);
  a.onJob?.(prepHandle);
  const prep = await prepHandle.promise;
  check();
  const choices = new Map<number, CalibratorChoice>();
  const models = new Map<number, ObjectModel>();
  let wanted = a.everyTarget ? a.prepare.targets.map((_, i) => i) : prep.plausible;
  let out: PlanJobResult | null = null;
  for (let round = 0; round <= MAX_REFILL_ROUNDS; round++) {
    const fresh = wanted.filter((i) => !choices.has(i));
    if (fresh.length > 0) {
      const got = await a.fetch(fresh, (done, total) => a.progress({ phase: 'calibrators', done, total, message: `calibrators for ${done} of ${total} targets` }));
      check();
      for (const [i, c] of got) choices.set(i, c);
      for (const [i, m] of a.models?.(fresh) ?? []) models.set(i, m);
    }
    const handle = a.runner.plan({ ...a.plan, prepare: a.prepare, choices: [...choices], models: [...models] }, jobProgress);
    a.onJob?.(handle);
    out = await handle.promise;
    check();
    const index = new Map(a.prepare.targets.map((t, i) => [t.key, i]));
    wanted = (out.result.wouldFit ?? []).map((k) => index.get(k)!).filter((i) => i !== undefined && !choices.has(i));
    if (wanted.length === 0) break;
  }
  const last = out!;
  if (!last.candidates) throw new Error('planner: a plan job that held no candidates sent none back');
  return { prep, out: { ...last, candidates: last.candidates }, choices: [...choices], models: [...models] };
}
