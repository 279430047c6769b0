import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import { resolve } from 'node:path';

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          main: resolve(import.meta.dirname, 'electron/shell/main.ts'),
          // The survey import's worker thread (electron/services/survey/import-runner.ts finds it beside main.js).
          'import-worker': resolve(import.meta.dirname, 'electron/services/survey/import-worker.ts'),
          // The calibrator catalogue import's worker thread (electron/services/worker-entry.ts finds it beside main.js).
          'calibrators-import-worker': resolve(import.meta.dirname, 'electron/services/calibrators/import-worker.ts'),
          // The planner's worker thread (electron/services/planner/plan-runner.ts finds it beside main.js).
          'plan-worker': resolve(import.meta.dirname, 'electron/services/planner/plan-worker.ts'),
          // The review service parses OIFITS on worker threads; it looks for this file next to main.js.
          'oifits-worker': resolve(import.meta.dirname, 'electron/services/review/oifits-worker.ts'),
          // Worker thread for large SAMP messages (electron/samp/codec-pool.ts finds it next to main.js).
          'samp-codec-worker': resolve(import.meta.dirname, 'electron/samp/codec-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { preload: resolve(import.meta.dirname, 'electron/shell/preload.ts') },
        // A sandboxed preload cannot be an ES module.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(import.meta.dirname, 'renderer'),
    build: {
      outDir: resolve(import.meta.dirname, 'out/renderer'),
      chunkSizeWarningLimit: 6000,
      // electron-vite leaves the renderer unminified; the page parses every byte before the first plot.
      minify: true,
      rollupOptions: { input: { index: resolve(import.meta.dirname, 'renderer/index.html') } },
    },
    plugins: [react()],
  },
});
