// Builds the `companion` CLI bundle: out/cli/main.mjs plus one chunk per lazily loaded command
// module (esbuild, ESM, code splitting). Packages stay external, as in the Electron main bundle,
// so the packaged app ships one copy of each. Files are written to a temporary name and renamed,
// chunks before the entry, so a concurrent run never loads a half-written bundle.
// Usage: node scripts/build-cli.mjs   (npm run build runs it; bin.mjs runs it when out/cli is stale)
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Build the bundle into `<root>/out/cli`; resolves to the entry file's path. */
export async function buildCli(root = ROOT) {
  const { build } = await import('esbuild');
  const outdir = join(root, 'out', 'cli');
  const result = await build({
    absWorkingDir: root,
    entryPoints: { main: join(root, 'electron', 'cli', 'main.ts') },
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outdir,
    outExtension: { '.js': '.mjs' },
    // Chunks next to the entry: code that finds package.json or resources from its own folder
    // (import.meta.dirname/../..) sees the same depth in every file of the bundle.
    chunkNames: '[name]-[hash]',
    write: false,
    logLevel: 'warning',
  });
  mkdirSync(outdir, { recursive: true });
  const entry = join(outdir, 'main.mjs');
  const files = [...result.outputFiles].sort((a, b) => (a.path === entry) - (b.path === entry));
  for (const f of files) {
    const tmp = join(dirname(f.path), `.${basename(f.path)}.${process.pid}.tmp`);
    writeFileSync(tmp, f.contents);
    renameSync(tmp, f.path);
  }
  return entry;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const entry = await buildCli();
  process.stdout.write(`built ${entry}\n`);
}
