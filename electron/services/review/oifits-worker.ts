/**
 * Entry of an OIFITS worker thread: runs the jobs the review service posts and answers each with
 * its result or its failure. Parsing here keeps a slow or hostile file from stalling the thread
 * that serves the UI; the pool on the other side ends this thread if a job overruns its budget.
 */
import { parentPort } from 'node:worker_threads';
import { describeFailure, runJob, type OifitsJob } from './oifits-jobs';

if (!parentPort) throw new Error('oifits-worker must run as a worker thread');
const port = parentPort;

port.on('message', (message: { id: number; job: OifitsJob }) => {
  try {
    port.postMessage({ id: message.id, ok: true, result: runJob(message.job) });
  } catch (e) {
    port.postMessage({ id: message.id, ok: false, error: describeFailure(message.job, e) });
  }
});
port.postMessage({ ready: true });
