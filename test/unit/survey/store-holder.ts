/**
 * A long-running app process for the two-process tests: the real services over one data folder
 * (transport "browser", so it polls for other processes' commits as the app does), driven by JSON
 * lines on stdin (`{"id":1,"method":"survey.list","params":{}}`) and printing JSON lines on stdout:
 * `{"ready":true}`, `{"id":1,"result":…}` / `{"id":1,"error":…}`, and every event it emits
 * (`{"event":"survey.changed","payload":…}`). Run with `node --import tsx store-holder.ts DATA_DIR`.
 */
import { createInterface } from 'node:readline';
import { createServices, toErrorBody } from '../../../electron/services/registry';
import { resolvePaths } from '../../../electron/services/paths';

const services = createServices({ paths: resolvePaths(process.argv[2]), transport: 'browser' });
const print = (o: unknown) => process.stdout.write(`${JSON.stringify(o)}\n`);
services.onAny((event, payload) => print({ event, payload }));
print({ ready: true });
const lines = createInterface({ input: process.stdin });
lines.on('line', async (line) => {
  const { id, method, params } = JSON.parse(line) as { id: number; method: string; params: unknown };
  try {
    print({ id, result: await services.callRaw(method, params) });
  } catch (e) {
    print({ id, error: toErrorBody(e) });
  }
});
lines.on('close', async () => {
  await services.close();
  process.exit(0);
});
