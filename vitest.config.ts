import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/interop/**/*.test.ts', 'test/shell/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    env: { SPICA_STRICT_JSON: '1' },
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
