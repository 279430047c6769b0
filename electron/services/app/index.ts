/**
 * The app service: the state of start-up work. Whoever starts the app (the Electron shell,
 * `companion serve`) runs that work through `startup.run`, after its window or server is up;
 * the UI reads `app.startup` once and then follows `app.startupChanged`.
 */
import type { appMethods, StartupStatus } from '../../../shared/contract/app';
import type { DomainService, ServiceContext } from '../context';

export interface StartupTracker {
  readonly status: StartupStatus;
  /** Run `work` as the named start-up task; its failure is recorded and rethrown. */
  run<T>(task: string, work: () => Promise<T>): Promise<T>;
}

export function createAppService(ctx: ServiceContext): DomainService<typeof appMethods> & { startup: StartupTracker } {
  let status: StartupStatus = { state: 'idle', task: null, error: null };
  const set = (next: StartupStatus): void => {
    status = next;
    ctx.emit('app.startupChanged', next);
  };
  const startup: StartupTracker = {
    get status() {
      return status;
    },
    async run(task, work) {
      set({ state: 'running', task, error: null });
      try {
        const result = await work();
        set({ state: 'done', task, error: null });
        return result;
      } catch (e) {
        set({ state: 'failed', task, error: e instanceof Error ? e.message : String(e) });
        throw e;
      }
    },
  };
  return { handlers: { 'app.startup': () => status }, startup };
}
