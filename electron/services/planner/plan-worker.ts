/**
 * Entry of the planner's worker thread: runs `prepareJob` / `planJob` one after the other, posting
 * progress and then the result (or that it was cancelled, or the error). Its night cache lives as
 * long as the thread, so a re-plan only redoes the optimisation.
 */
import { parentPort } from 'node:worker_threads';
import { PlanCancelled, planJob, prepareJob } from '../../../shared/planner/pipeline';
import type { PlanWorkerMessage, PlanWorkerRequest } from './plan-runner';

const post = (m: PlanWorkerMessage) => parentPort?.postMessage(m);

parentPort?.on('message', (request: PlanWorkerRequest) => {
  if (request.type === 'close') {
    parentPort?.close();
    return;
  }
  const { id } = request;
  const flag = new Int32Array(request.cancel);
  const isCancelled = () => Atomics.load(flag, 0) === 1;
  const progress = (phase: 'observing' | 'planning', done: number, total: number) => post({ type: 'progress', id, phase, done, total });
  try {
    const result = request.type === 'prepare' ? prepareJob(request.job, progress, isCancelled) : planJob(request.job, progress, isCancelled);
    post({ type: 'done', id, result });
  } catch (e) {
    if (e instanceof PlanCancelled) post({ type: 'cancelled', id });
    else post({ type: 'error', id, message: e instanceof Error ? e.message : String(e) });
  }
});
