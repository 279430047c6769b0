// Lint = the architecture's layering, enforced (see DEVELOPERS.md): every file's runtime comes
// from its path and every import is checked against it (scripts/eslint/layering.js):
//   shared/         pure TypeScript: shared code and pure packages only
//   electron/shell/ electron-main (the only code importing 'electron'; preload.ts is preload)
//   electron/       plain Node: no electron, no electron/shell
//   renderer/       the browser: shared code and renderer packages only
//   test/, scripts/, configs: tooling
import tseslint from 'typescript-eslint';
import layering from './scripts/eslint/layering.js';

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**', 'test-results/**', 'playwright-report/**', '.tmp/**', 'test/fixtures/**'] },
  {
    files: ['**/*.{ts,tsx,js,mjs,cjs}'],
    languageOptions: { parser: tseslint.parser, ecmaVersion: 2023, sourceType: 'module' },
    plugins: { '@typescript-eslint': tseslint.plugin, layering },
    rules: { 'no-debugger': 'error', 'layering/runtime': 'error' },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
  },
  {
    // The type checker keeps DOM types out of shared/ and Node types out of the renderer
    // (tsconfig.node.json / tsconfig.web.json); these say why in the lint output as well.
    files: ['shared/**/*.{ts,tsx}'],
    rules: {
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
      'no-restricted-globals': ['error',
        { name: 'process', message: 'renderer/ runs in the browser.' },
        { name: 'require', message: 'renderer/ runs in the browser.' },
      ],
    },
  },
  {
    files: ['electron/cli/commands/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'node:util', importNames: ['parseArgs'], message: 'Use parseFlags from ../args: negative numbers as values, one-line errors.' }],
      }],
    },
  },
);
