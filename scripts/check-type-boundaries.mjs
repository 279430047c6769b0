// Part of `npm run typecheck`: the web project (renderer) must compile without Node's types and
// the node project (services, shell, CLI) without the DOM's. tsc --listFilesOnly resolves the
// projects' files without type-checking them, so this costs a second, not a compile.
import { execFileSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const files = (project) => execFileSync(process.execPath, [tsc, '-p', project, '--composite', 'false', '--listFilesOnly'], { cwd: root, encoding: 'utf8' }).split('\n');

const problems = [];
const nodeInWeb = files('tsconfig.web.json').filter((f) => f.includes('/@types/node/'));
if (nodeInWeb.length) problems.push(`tsconfig.web.json reaches Node's types (${nodeInWeb[0]}, …): find the import with tsc -p tsconfig.web.json --explainFiles`);
const domInNode = files('tsconfig.node.json').filter((f) => /\/lib\.dom(\.iterable)?\.d\.ts$/.test(f));
if (domInNode.length) problems.push(`tsconfig.node.json reaches the DOM's types (${domInNode[0]}): find the import with tsc -p tsconfig.node.json --explainFiles`);
for (const p of problems) process.stderr.write(`${p}\n`);
process.exitCode = problems.length ? 1 : 0;
