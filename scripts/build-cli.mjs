// Builds the `companion` CLI bundle: out/cli/main.mjs, the worker-thread entries, and one chunk
// per lazily loaded command module (esbuild, ESM, code splitting). Pure-JS dependencies are bundled in: resolving and
// opening the hundreds of small files of drizzle-orm and zod cost more CPU than running the
// command. Packages that load files by path stay external (better-sqlite3: its native addon;
// highs: its wasm), as do dev tools loaded only in a checkout. Files are written to a temporary
// name and renamed, chunks before the entry, so a concurrent run never loads a half-written bundle.
// Usage: node scripts/build-cli.mjs   (npm run build runs it; bin.mjs runs it when out/cli is stale)
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const EXTERNAL = ['better-sqlite3', 'highs', 'electron', '@electron/rebuild', 'esbuild', 'tsx', 'playwright-core'];

/** Build the bundle into `<root>/out/cli`; resolves to the entry file's path. */
export async function buildCli(root = ROOT) {
  const { build } = await import('esbuild');
  const outdir = join(root, 'out', 'cli');
  const result = await build({
    absWorkingDir: root,
    // The worker threads' entries go beside the entry: the services look for them next to the
    // chunk that starts them (oifits-pool.ts, codec-pool.ts, import-runner.ts, plan-runner.ts, worker-entry.ts).
    entryPoints: {
      main: join(root, 'electron', 'cli', 'main.ts'),
      'oifits-worker': join(root, 'electron', 'services', 'review', 'oifits-worker.ts'),
      'samp-codec-worker': join(root, 'electron', 'samp', 'codec-worker.ts'),
      'import-worker': join(root, 'electron', 'services', 'survey', 'import-worker.ts'),
      'calibrators-import-worker': join(root, 'electron', 'services', 'calibrators', 'import-worker.ts'),
      'plan-worker': join(root, 'electron', 'services', 'planner', 'plan-worker.ts'),
    },
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: EXTERNAL,
    // Bundled CommonJS dependencies (papaparse, astronomy-engine) call require(): give them one.
    banner: { js: "import { createRequire as __cliCreateRequire } from 'node:module'; const require = __cliCreateRequire(import.meta.url);" },
    outdir,
    outExtension: { '.js': '.mjs' },
    // Chunks next to the entry: code that finds package.json or resources from its own folder
    // (import.meta.dirname/../..) sees the same depth in every file of the bundle.
    chunkNames: '[name]-[hash]',
    // Less text to parse at every start; names are kept, so stack traces stay readable.
    minifyWhitespace: true,
    minifySyntax: true,
    write: false,
    logLevel: 'warning',
  });
  mkdirSync(outdir, { recursive: true });
  const entry = join(outdir, 'main.mjs');
  // `oifits plot` draws with plotly's cartesian distribution in headless Chromium. plotly.js is a
  // devDependency (the renderer bundles its own partial build), so the file goes beside the entry:
  // the installed app has it in out/cli without the package.
  const plotly = { path: join(outdir, 'plotly-cartesian.min.js'), contents: readFileSync(createRequire(join(root, 'package.json')).resolve('plotly.js/dist/plotly-cartesian.min.js')) };
  const files = [plotly, ...result.outputFiles].sort((a, b) => (a.path === entry) - (b.path === entry));
  for (const f of files) {
    const tmp = join(dirname(f.path), `.${basename(f.path)}.${process.pid}.tmp`);
    writeFileSync(tmp, f.contents);
    renameSync(tmp, f.path);
  }
  // Chunks of earlier builds (other hashes) go once the new entry is in place; a process that
  // started with the old entry has already loaded what it needs or fails on a missing chunk.
  const written = new Set(files.map((f) => basename(f.path)));
  for (const name of readdirSync(outdir)) {
    if (name.endsWith('.mjs') && !written.has(name)) rmSync(join(outdir, name), { force: true });
  }
  return entry;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const entry = await buildCli();
  process.stdout.write(`built ${entry}\n`);
}
