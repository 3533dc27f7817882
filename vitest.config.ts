import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest/results.json' },
    coverage: {
      provider: 'v8',
      include: [
        'schemas/**',
        'producer/**',
        'transformer/**',
        'local/**',
        'cdk/**',
      ],
    },
  },
});
