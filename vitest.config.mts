import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));
// server-only throws outside React Server Components; under test, server/ code runs in plain Node.
const alias = {
  '@/': root,
  'server-only': fileURLToPath(new URL('./scripts/test/server-only-stub.ts', import.meta.url)),
};

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          include: ['lib/**/*.test.ts', 'server/**/*.test.ts', 'scripts/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', 'node_modules/**'],
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'int',
          include: ['server/**/*.int.test.ts', 'scripts/**/*.int.test.ts'],
          testTimeout: 90_000,
          hookTimeout: 90_000,
          // Each file starts its own cluster; two at a time is what 2 cores take without starving redis.
          maxWorkers: 2,
        },
      },
    ],
  },
});
