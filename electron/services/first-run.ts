/**
 * First start: an empty store gets the labelled demo survey, once, so a newcomer sees a full app.
 * Removing the demo later is remembered and not undone. The work runs as a start-up task
 * (`services.startup`), so a window that is already open shows it while it runs.
 */
import type { Services } from './registry';

const FIRST_RUN_KEY = 'app.firstRunDone';

export async function ensureFirstRunDemo(services: Services): Promise<{ generated: boolean }> {
  const { value } = await services.call('settings.get', { key: FIRST_RUN_KEY });
  if (value === true) return { generated: false };
  const info = await services.call('app.info', {});
  let generated = false;
  if (info.targetCount === 0 && process.env.SPICA_NO_DEMO !== '1') {
    await services.startup.run('Generating the demo survey (first start)…', async () => {
      // Let the "running" event reach the window before the synchronous import holds the thread.
      await new Promise((resolve) => setTimeout(resolve, 20));
      await services.call('survey.demo.generate', {});
    });
    generated = true;
  }
  await services.call('settings.set', { key: FIRST_RUN_KEY, value: true });
  return { generated };
}
