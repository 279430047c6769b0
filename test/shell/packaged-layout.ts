/**
 * Lays out the app as electron-builder.yml packages it, without electron-builder (which needs the
 * network for Electron's zip): the `files` globs of the repository plus the production
 * dependencies (package.json `dependencies`, resolved as Node resolves them) go into a real
 * app.asar written with @electron/asar, the `asarUnpack` globs into app.asar.unpacked, and the
 * `extraResources` next to it. Node cannot read inside an asar archive (Electron patches fs to),
 * so the archive is then extracted to a folder named app.asar at the same place: every path the
 * shell computes (`app.getAppPath()`, `process.resourcesPath`) is the packaged one.
 */
import { createPackageFromStreams, extractAll, listPackage, statFile, type AsarStreamType } from '@electron/asar';
import { load } from 'js-yaml';
import { minimatch } from 'minimatch';
import { createReadStream, cpSync, existsSync, lstatSync, readdirSync, readFileSync, statSync, type Stats } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { Readable } from 'node:stream';

interface BuilderConfig {
  files: string[];
  asar: boolean;
  asarUnpack: string[];
  extraResources: Array<{ from: string; to: string }>;
  extraMetadata?: { main?: string };
}

export interface PackagedLayout {
  /** `process.resourcesPath` of the packaged app. */
  resourcesPath: string;
  /** `app.getAppPath()`: `<resources>/app.asar` (extracted to a folder of that name). */
  appPath: string;
  /** The real archive (and its .unpacked folder) the layout was extracted from. */
  archive: string;
  /** Paths inside the archive (forward slashes) and whether each is unpacked. */
  entries: Map<string, { unpacked: boolean }>;
  /** Production packages in the archive's node_modules. */
  packages: string[];
}

export function readBuilderConfig(root: string): BuilderConfig {
  return load(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as BuilderConfig;
}

const SKIP_DIRS = new Set(['node_modules', '.git', '.tmp', 'dist', 'test-results', 'playwright-report']);

function listFiles(root: string, dir = root, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) listFiles(root, full, out);
    } else if (entry.isFile()) out.push(relative(root, full).split(sep).join('/'));
  }
  return out;
}

/** electron-builder's `files` semantics: ordered globs, `!` excludes, the last match wins. */
function matchesFiles(path: string, patterns: readonly string[]): boolean {
  let included = false;
  for (const p of patterns) {
    const negated = p.startsWith('!');
    if (minimatch(path, negated ? p.slice(1) : p, { dot: true })) included = !negated;
  }
  return included;
}

/** The folder of package `name` as Node would resolve it from `fromDir`. */
function packageDir(name: string, fromDir: string, root: string): string {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dir === root || dirname(dir) === dir) throw new Error(`production dependency ${name} not found from ${fromDir}`);
  }
}

/** Every production package folder: `dependencies` of package.json, recursively. */
function productionPackages(root: string): string[] {
  const found = new Set<string>();
  const visit = (pkgDir: string): void => {
    const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> };
    for (const name of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies })) {
      let dir: string;
      try {
        dir = packageDir(name, pkgDir, root);
      } catch (e) {
        if (pkg.optionalDependencies?.[name]) continue;
        throw e;
      }
      if (found.has(dir)) continue;
      found.add(dir);
      visit(dir);
    }
  };
  visit(root);
  return [...found].sort();
}

function walkPackage(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) walkPackage(full, out);
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

/** Build the layout under `target` from the repository at `root` (built beforehand). */
export async function layOutPackagedApp(root: string, target: string): Promise<PackagedLayout> {
  const config = readBuilderConfig(root);
  if (!config.asar) throw new Error('electron-builder.yml: asar is off; this layout expects an asar archive');
  const resourcesPath = join(target, 'resources');
  const archive = join(target, 'archive', 'app.asar');
  const sources = new Map<string, string>(); // path in the archive → file on disk
  for (const path of listFiles(root)) if (matchesFiles(path, config.files)) sources.set(path, join(root, path));
  const packages = productionPackages(root);
  for (const dir of packages) for (const file of walkPackage(dir)) sources.set(relative(root, file).split(sep).join('/'), file);
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, unknown>;
  const packageJson = JSON.stringify({ ...pkg, ...config.extraMetadata }, null, 2);

  const isUnpacked = (path: string): boolean => config.asarUnpack.some((g) => minimatch(path, g, { dot: true }));
  const dirs = new Set<string>();
  const streams: AsarStreamType[] = [];
  for (const path of [...sources.keys()].sort()) {
    for (let d = dirname(path); d !== '.' && !dirs.has(d); d = dirname(d)) dirs.add(d);
  }
  // Folders stay in the archive; each file is packed or unpacked on its own, as asarUnpack says.
  for (const d of [...dirs].sort()) streams.push({ type: 'directory', path: d, unpacked: false });
  for (const [path, file] of [...sources.entries()].sort()) {
    if (path === 'package.json') continue;
    const stat = lstatSync(file);
    streams.push({ type: 'file', path, unpacked: isUnpacked(path), stat, streamGenerator: () => createReadStream(file) });
  }
  const packageStat = Object.assign(lstatSync(join(root, 'package.json')), { size: Buffer.byteLength(packageJson) }) as Stats;
  streams.push({ type: 'file', path: 'package.json', unpacked: false, stat: packageStat, streamGenerator: () => Readable.from([Buffer.from(packageJson)]) });
  await new Promise<void>((resolveWrite, reject) => {
    createPackageFromStreams(archive, streams).then((s) => {
      s.on('close', () => resolveWrite());
      s.on('error', reject);
    }, reject);
  });

  const entries = new Map<string, { unpacked: boolean }>();
  for (const p of listPackage(archive, { isPack: false })) {
    const path = p.replace(/^[/\\]/, '').split(sep).join('/');
    const entry = statFile(archive, path) as { unpacked?: boolean };
    entries.set(path, { unpacked: entry.unpacked === true });
  }
  const appPath = join(resourcesPath, 'app.asar');
  extractAll(archive, appPath);
  cpSync(`${archive}.unpacked`, `${appPath}.unpacked`, { recursive: true });
  for (const extra of config.extraResources) cpSync(join(root, extra.from), join(resourcesPath, extra.to), { recursive: statSync(join(root, extra.from)).isDirectory() });
  return { resourcesPath, appPath, archive, entries, packages: packages.map((d) => relative(join(root, 'node_modules'), d).split(sep).join('/')) };
}
