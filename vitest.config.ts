import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// Projects (vitest 4 has no workspaces):
//   unit    – node tests next to the code (*.test.ts) and cross-cutting test/*.test.ts
//   dom     – jsdom component tests (*.dom.test.ts) and runes tests (*.svelte.test.ts)
//   reality – root-only comparisons with the real kernel and real libvirt (test/reality)
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          environment: 'node',
          include: ['shared/**/*.test.ts', 'electron/**/*.test.ts', 'cli/**/*.test.ts', 'test/unit/**/*.test.ts', 'bench/**/*.test.ts'],
          exclude: ['**/*.dom.test.ts', '**/*.svelte.test.ts', 'node_modules/**'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        plugins: [svelte()],
        resolve: { conditions: ['browser'] },
        test: {
          name: 'dom',
          environment: 'jsdom',
          include: ['renderer/**/*.dom.test.ts', 'renderer/**/*.svelte.test.ts'],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'reality',
          environment: 'node',
          include: ['test/reality/**/*.test.ts'],
          testTimeout: 600_000,
          hookTimeout: 600_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
