// The layering rule (`layering/runtime`): every file has a runtime, decided by its path, and
// every import (static, `export … from`, dynamic `import()`, `require()`, `import x = require()`,
// `typeof import()`) is checked against what that runtime may load. After VS Code's
// `code-layering` and Signal-Desktop's `file-suffix` rules (see ../shared/docs/architecture.md).
//
// Runtimes: shared (pure TypeScript: no Node, no DOM, no Electron), node (plain Node services,
// CLI, server), electron-main (electron/shell: the only code with Electron's main-process API),
// preload (the sandboxed preload), renderer (the browser page), tooling (tests, build scripts,
// configs: anything). A new file under an existing folder is classified by its path; a file in
// no known place, or an import of an unclassified package, is an error until it is added below.
import { builtinModules } from 'node:module';
import { dirname, relative, resolve, sep } from 'node:path';

/** Ordered: the first prefix (or exact path) that matches a repo-relative path decides. */
export const FILE_RUNTIMES = [
  ['electron/shell/preload.ts', 'preload'],
  ['electron/shell/', 'electron-main'],
  // The checkout launcher: picks the CLI bundle or builds it with esbuild (a dev tool).
  ['electron/cli/bin.mjs', 'tooling'],
  ['electron/', 'node'],
  ['shared/', 'shared'],
  ['renderer/', 'renderer'],
  ['test/', 'tooling'],
  ['scripts/', 'tooling'],
  ['resources/scripts/', 'tooling'],
  // Bundled data (JSON): anything may import it.
  ['resources/', 'shared'],
];

/** Configuration files at the repository root (vite, vitest, playwright, drizzle, eslint). */
const ROOT_CONFIG = /^[^/]+\.config\.(ts|js|mjs|cjs)$/;

/** Which runtimes' files a runtime may import. Tooling may import anything. */
export const MAY_IMPORT = {
  shared: ['shared'],
  node: ['shared', 'node'],
  'electron-main': ['shared', 'node', 'electron-main'],
  preload: ['shared', 'preload'],
  renderer: ['shared', 'renderer'],
};

const NODE = ['node', 'electron-main'];
const ANY = ['shared', 'node', 'electron-main', 'preload', 'renderer'];

/**
 * Packages, by the runtimes that may import them. `lazyIn`: runtimes that may load the package
 * only through a dynamic `import()` (dev tools used by checkout-only paths such as
 * `companion start`; a packaged app has no devDependencies).
 */
export const PACKAGES = [
  { names: ['electron'], runtimes: ['electron-main', 'preload'] },
  { names: [...builtinModules, ...builtinModules.map((m) => `node:${m}`)], runtimes: NODE },
  { names: ['better-sqlite3', 'drizzle-orm'], runtimes: NODE },
  { names: ['zod', 'astronomy-engine', 'papaparse', 'fast-xml-parser', 'uuid', 'highs'], runtimes: ANY },
  { names: ['react', 'react-dom', '@mantine/core', '@mantine/hooks', '@mantine/notifications', '@tabler/icons-react', '@tanstack/react-virtual', 'plotly.js-dist-min'], runtimes: ['renderer'] },
  { names: ['@electron/rebuild', 'esbuild', 'tsx'], runtimes: [], lazyIn: ['node'] },
];

/** The runtime of a repo-relative path (forward slashes), or null when it has none. */
export function runtimeOf(path) {
  for (const [prefix, runtime] of FILE_RUNTIMES) if (path === prefix || (prefix.endsWith('/') && path.startsWith(prefix))) return runtime;
  if (ROOT_CONFIG.test(path)) return 'tooling';
  return null;
}

/** The package a bare specifier names: `@scope/name/sub` → `@scope/name`, `electron/main` → `electron`. */
export function packageOf(specifier) {
  if (specifier.startsWith('node:')) return specifier;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function packageRule(name) {
  return PACKAGES.find((p) => p.names.includes(name)) ?? null;
}

const toPosix = (p) => p.split(sep).join('/');

/** @type {import('eslint').Rule.RuleModule} */
const runtimeRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Every file has a runtime; every import must be loadable in it.' },
    schema: [],
  },
  create(context) {
    const root = context.cwd;
    const file = toPosix(relative(root, context.filename));
    const runtime = runtimeOf(file);
    const check = (node, specifier, isDynamic) => {
      if (runtime === 'tooling') return;
      const bare = specifier.split('?')[0];
      if (bare.startsWith('.') || bare.startsWith('/')) {
        const target = toPosix(relative(root, resolve(dirname(context.filename), bare)));
        if (target.startsWith('../')) return context.report({ node, message: `${runtime} file imports ${specifier}, outside the repository.` });
        const targetRuntime = runtimeOf(target);
        if (targetRuntime === null) return context.report({ node, message: `${specifier} resolves to ${target}, which has no runtime (add its folder to FILE_RUNTIMES in scripts/eslint/layering.js).` });
        if (targetRuntime !== 'tooling' && MAY_IMPORT[runtime].includes(targetRuntime)) return;
        return context.report({ node, message: `${runtime} code (${file}) may not import ${targetRuntime} code (${target}); ${runtime} may import ${MAY_IMPORT[runtime].join(', ')}.` });
      }
      const name = packageOf(bare);
      const rule = packageRule(name);
      if (!rule) return context.report({ node, message: `package ${name} has no runtime: add it to PACKAGES in scripts/eslint/layering.js.` });
      if (rule.runtimes.includes(runtime)) return;
      if (isDynamic && rule.lazyIn?.includes(runtime)) return;
      const where = rule.runtimes.length ? `it belongs to ${rule.runtimes.join(', ')}` : 'it is a dev tool';
      const lazy = rule.lazyIn?.includes(runtime) ? ' (load it with a dynamic import() on a checkout-only path)' : '';
      context.report({ node, message: `${runtime} code (${file}) may not import ${specifier}: ${where}${lazy}.` });
    };
    const literal = (node) => {
      if (node?.type === 'Literal' && typeof node.value === 'string') return node.value;
      if (node?.type === 'TemplateLiteral' && node.expressions.length === 0) return node.quasis[0].value.cooked;
      return null;
    };
    return {
      Program(node) {
        if (runtime === null) context.report({ node, message: `${file} has no runtime: put it in a classified folder or add it to FILE_RUNTIMES in scripts/eslint/layering.js.` });
      },
      ImportDeclaration: (node) => runtime && check(node, node.source.value, false),
      ExportNamedDeclaration: (node) => runtime && node.source && check(node, node.source.value, false),
      ExportAllDeclaration: (node) => runtime && check(node, node.source.value, false),
      ImportExpression(node) {
        if (!runtime) return;
        const specifier = literal(node.source);
        if (specifier !== null) check(node, specifier, true);
        else if (runtime !== 'tooling') context.report({ node, message: `${runtime} code: an import() of a computed specifier cannot be checked; import a literal path.` });
      },
      CallExpression(node) {
        if (!runtime || node.callee.type !== 'Identifier' || node.callee.name !== 'require') return;
        const specifier = literal(node.arguments[0]);
        if (specifier !== null) check(node, specifier, false);
        else if (runtime !== 'tooling') context.report({ node, message: `${runtime} code: a require() of a computed specifier cannot be checked.` });
      },
      TSImportEqualsDeclaration(node) {
        if (runtime && node.moduleReference.type === 'TSExternalModuleReference') check(node, literal(node.moduleReference.expression) ?? '', false);
      },
      TSImportType(node) {
        const specifier = literal(node.argument?.literal ?? node.argument);
        if (runtime && specifier !== null) check(node, specifier, false);
      },
    };
  },
};

export default { rules: { runtime: runtimeRule } };
