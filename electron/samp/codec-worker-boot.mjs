// Starts the codec worker from the TypeScript sources (CLI, browser mode, tests): a worker thread
// does not inherit the tsx loader the CLI registered, so it registers its own. The Electron build
// runs the bundled samp-codec-worker.js instead.
// A dynamic import: tsx is a dev tool, present in a checkout only (the layering rule).
const { register } = await import('tsx/esm/api');
register();
await import('./codec-worker.ts');
