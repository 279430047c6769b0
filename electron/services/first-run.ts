/**
 * First start: an empty store gets the labelled demo survey, once, so a newcomer sees a full app.
 * Removing the demo later is remembered and not undone.
 */
import type { Services } from './registry';

const FIRST_RUN_KEY = 'app.firstRunDone';

export async function ensureFirstRunDemo(services: Services): Promise<{ generated: boolean }> {
  const { value } = await services.call('settings.get', { key: FIRST_RUN_KEY });
  if (value === true) return { generated: false };
  const info = await services.call('app.info', {});
  let generated = false;
  if (info.targetCount === 0 && process.env.SPICA_NO_DEMO !== '1') {
    await services.call('survey.demo.generate', {});
    generated = true;
  }
  await services.call('settings.set', { key: FIRST_RUN_KEY, value: true });
  return { generated };
}
