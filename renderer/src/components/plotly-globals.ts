/**
 * Some of plotly's WebGL dependencies (regl and its helpers) read Node's `global`; the browser has
 * `globalThis`. Imported by plotly-bundle.ts before plotly itself, so it runs first.
 */
(globalThis as { global?: unknown }).global ??= globalThis;
export {};
