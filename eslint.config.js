// Lint = the architecture's layering rules, enforced (see DEVELOPERS.md):
//   shared/    pure TypeScript: no node, no electron, no DOM, no React, nothing from electron/ or renderer/
//   renderer/  browser only: no node, no electron, no main-process code
//   electron/  only electron/shell/ may import 'electron'
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeModules = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const nativeAndDb = ['better-sqlite3', 'drizzle-orm', 'drizzle-orm/*', 'drizzle-kit'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**', 'test-results/**', '.tmp/**', '**/*.mjs'] },
  {
    files: ['**/*.{ts,tsx,js}'],
    languageOptions: { parser: tseslint.parser, ecmaVersion: 2023, sourceType: 'module' },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: { 'no-debugger': 'error' },
  },
  {
    files: ['shared/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [...nodeModules, 'electron', ...nativeAndDb.filter((m) => !m.includes('*')), 'react', 'react-dom'].map((name) => ({
          name,
          message: 'shared/ is pure TypeScript: no Node, Electron, database or React imports.',
        })),
        patterns: [
          { group: ['**/electron/**', '**/renderer/**'], message: 'shared/ must not import from electron/ or renderer/.' },
          { group: ['@mantine/*', 'drizzle-orm/*', 'node:*'], message: 'shared/ is pure TypeScript.' },
        ],
      }],
      'no-restricted-globals': ['error',
        { name: 'window', message: 'No DOM in shared/.' },
        { name: 'document', message: 'No DOM in shared/.' },
        { name: 'process', message: 'No Node in shared/.' },
        { name: 'require', message: 'No Node in shared/.' },
        { name: 'Buffer', message: 'No Node in shared/ (use Uint8Array).' },
        { name: '__dirname', message: 'No Node in shared/.' },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [
          ...[...nodeModules, 'electron', 'better-sqlite3', 'drizzle-orm'].map((name) => ({
            name,
            message: 'renderer/ runs in the browser: reach services through renderer/src/api only.',
          })),
          {
            name: '@mantine/hooks',
            importNames: ['useHotkeys', 'getHotkeyHandler'],
            message: 'Declare keys with useKeys (renderer/src/app/keys.tsx): Mantine ignores keys after a click on a checkbox or chip, and the help lists only declared keys.',
          },
        ],
        patterns: [
          { group: ['**/electron/**'], message: 'renderer/ must not import main-process code; use the contract in shared/.' },
          { group: ['node:*', 'drizzle-orm/*'], message: 'renderer/ runs in the browser.' },
        ],
      }],
      'no-restricted-globals': ['error',
        { name: 'process', message: 'renderer/ runs in the browser.' },
        { name: 'require', message: 'renderer/ runs in the browser.' },
      ],
    },
  },
  {
    files: ['electron/**/*.ts', 'test/**/*.ts'],
    ignores: ['electron/shell/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'electron', message: 'Only electron/shell/ may import electron: services must run in plain Node.' }],
        patterns: [{ group: ['**/renderer/**'], message: 'Main-process code must not import the renderer.' }],
      }],
    },
  },
);
