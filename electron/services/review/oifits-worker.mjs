// Bootstrap of the OIFITS worker thread when the app runs from source (CLI, browser mode, tests):
// worker threads do not inherit the tsx loader of their parent, so register it here, then load
// the TypeScript entry. The Electron build bundles the entry as out/main/oifits-worker.js instead.
// A dynamic import: tsx is a dev tool, present in a checkout only (the layering rule).
const { register } = await import('tsx/esm/api');
register();
await import('./oifits-worker.ts');
