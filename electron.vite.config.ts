// electron-vite: main (ESM, package.json "type": "module"), preload (CJS: a
// sandboxed preload cannot be ESM, architecture.md trap 4) and the Svelte
// renderer, all into out/. Runs offline; never needs the Electron binary.
import { defineConfig } from 'electron-vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { resolve } from 'node:path';

const root = import.meta.dirname;

export default defineConfig({
  main: {
    build: {
      outDir: resolve(root, 'out/main'),
      // better-sqlite3-electron loads a .node file: it stays a runtime dependency.
      externalizeDeps: true,
      rollupOptions: { input: { index: resolve(root, 'electron/main/index.ts') } },
    },
  },
  preload: {
    build: {
      outDir: resolve(root, 'out/preload'),
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(root, 'electron/preload/index.ts') },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'renderer'),
    plugins: [svelte()],
    worker: { format: 'es' },
    build: {
      outDir: resolve(root, 'out/renderer'),
      // No source maps in the shipped renderer; the bridge tests use the same build.
      sourcemap: false,
      chunkSizeWarningLimit: 2048,
      rollupOptions: { input: { index: resolve(root, 'renderer/index.html') } },
    },
  },
});
