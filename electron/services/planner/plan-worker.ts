/**
 * Entry of the planner's worker thread: runs `prepareJob` / `planJob` one after the other, posting
 * progress and then the result (or that it was cancelled, or the error). Its night cache lives as
 * long as the thread, so a re-plan only redoes the optimisation.
 */
import { PlanCancelled, planJob, prepareJob, type PlanJob, type PrepareJob, type Progress } from '../../../shared/planner/pipeline';
import { serveJobs, type JobContext } from '../job-worker';

serveJobs(
  {
    prepare: (job: PrepareJob, { progress, isCancelled }: JobContext) => prepareJob(job, progress as Progress, isCancelled),
    plan: (job: PlanJob, { progress, isCancelled }: JobContext) => planJob(job, progress as Progress, isCancelled),
  },
  { isCancellation: (e) => e instanceof PlanCancelled },
);
