/**
 * Node module-resolution hook: `electron` and `electron/main` (and `electron/common`) resolve to
 * the stand-in (electron.mjs) instead of the npm package, whose index.js only locates a binary
 * that these machines cannot download. Everything else resolves as usual.
 */
const STAND_IN = new URL('./electron.mjs', import.meta.url).href;
const MAIN_PROCESS_SPECIFIERS = new Set(['electron', 'electron/main', 'electron/common']);

export async function resolve(specifier, context, nextResolve) {
  if (MAIN_PROCESS_SPECIFIERS.has(specifier)) return { url: STAND_IN, shortCircuit: true };
  if (specifier.startsWith('electron/')) throw new Error(`stand-in: ${specifier} is not a main-process module`);
  return nextResolve(specifier, context);
}
