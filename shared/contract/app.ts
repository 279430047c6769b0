/** Contract of the app itself: start-up work the window shows while it runs. */
import { z } from 'zod';
import { defineEvent, defineMethod, type EventMap, type MethodMap } from './define';

/**
 * Start-up work that runs after the window is up (first start: the labelled demo survey), so
 * the window can say what is happening instead of appearing late.
 */
export interface StartupStatus {
  state: 'idle' | 'running' | 'done' | 'failed';
  /** What runs or ran, for people ("Generating the demo survey…"); null when idle. */
  task: string | null;
  /** The error of a failed task (also in the log file); null otherwise. */
  error: string | null;
}

export const appMethods = {
  'app.startup': defineMethod<StartupStatus>()({
    doc: 'The state of the start-up work (first start: demo survey); changes arrive on `app.startupChanged`.',
    params: z.object({}).strict(),
  }),
} satisfies MethodMap;

export const appEvents = {
  'app.startupChanged': defineEvent<StartupStatus>('Start-up work began, finished or failed.'),
} satisfies EventMap;
