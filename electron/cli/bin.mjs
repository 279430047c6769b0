#!/usr/bin/env node
// Entry of the `companion` CLI in a checkout (npx companion, npm run companion, npm start):
// runs the prebuilt bundle out/cli/main.mjs. When the bundle is missing or older than the
// sources it is rebuilt first (esbuild, well under a second of CPU); without esbuild (an install
// without devDependencies) the TypeScript sources run through tsx, and without tsx an existing
// bundle is used as it is, with a warning; so are both when out/ is not writable (another user's
// checkout). The packaged app runs the same bundle with --cli.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { cliBuild, isStale } from './freshness.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const isMissing = (e, name) => e?.code === 'ERR_MODULE_NOT_FOUND' && String(e.message).includes(name);
const isUnwritable = (e) => ['EACCES', 'EPERM', 'EROFS'].includes(e?.code);

async function loadMain() {
  const { outputs, sources } = cliBuild(ROOT);
  const bundle = outputs[0];
  if (!isStale(outputs, sources)) return import(pathToFileURL(bundle).href);
  try {
    const { buildCli } = await import('../../scripts/build-cli.mjs');
    return import(pathToFileURL(await buildCli(ROOT)).href);
  } catch (e) {
    if (!isMissing(e, 'esbuild') && !isUnwritable(e)) throw e;
  }
  try {
    const { register } = await import('tsx/esm/api');
    register();
    return import('./main.ts');
  } catch (e) {
    if (!isMissing(e, 'tsx') || !existsSync(bundle)) throw e;
  }
  process.stderr.write(`companion: ${join('out', 'cli')} is older than the sources and neither esbuild nor tsx is installed; running it as it is\n`);
  return import(pathToFileURL(bundle).href);
}

const { main } = await loadMain();
process.exitCode = await main(process.argv.slice(2));
