// Starts the codec worker from the TypeScript sources (CLI, browser mode, tests): a worker thread
// does not inherit the tsx loader the CLI registered, so it registers its own. The Electron build
// runs the bundled samp-codec-worker.js instead.
import { register } from 'tsx/esm/api';

register();
await import('./codec-worker.ts');
