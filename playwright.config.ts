import { defineConfig } from '@playwright/test';

process.env.SPICA_STRICT_JSON = '1';

export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '*.spec.ts',
  // The tests' own project: the solution tsconfig.json references the web project too, whose
  // `paths` point papaparse at a types-only file that Playwright's loader would then import.
  tsconfig: './tsconfig.test.json',
  workers: 1,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  outputDir: 'test-results/playwright',
  use: {
    browserName: 'chromium',
    headless: true,
    viewport: { width: 1500, height: 900 },
    screenshot: 'only-on-failure',
    launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--disable-quic'] },
  },
});
