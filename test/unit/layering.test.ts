// The import table of architecture.md is enforced twice (lint and per-folder
// tsconfig). These tests prove both gates actually close: a forbidden import
// or global in shared/ fails, the same code in a service passes.
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');

async function lintAs(path: string, code: string) {
  const eslint = new ESLint({ cwd: root });
  const [result] = await eslint.lintText(code, { filePath: join(root, path) });
  return result.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

describe('layering lint', () => {
  it('refuses node built-ins, electron and SQLite in shared/', async () => {
    const node = await lintAs('shared/netfilter/bad.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n");
    expect(node.join('\n')).toMatch(/no-restricted-imports.*Node built-ins/);
    // A test kit in shared/ is imported by other tests: it stays pure (file access goes in test/testkit/).
    const kit = await lintAs('shared/netfilter/fixtures.testkit.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n");
    expect(kit.join('\n')).toMatch(/no-restricted-imports.*Node built-ins/);
    const electron = await lintAs('shared/bad.ts', "import { app } from 'electron';\nexport const x = app;\n");
    expect(electron.join('\n')).toMatch(/no-restricted-imports/);
    const sqlite = await lintAs('shared/bad.ts', "import Database from 'better-sqlite3';\nexport const x = Database;\n");
    expect(sqlite.join('\n')).toMatch(/no-restricted-imports/);
    const ui = await lintAs('shared/bad.ts', "import { mount } from 'svelte';\nexport const x = mount;\n");
    expect(ui.join('\n')).toMatch(/no-restricted-imports/);
  });

  it('refuses DOM and Node globals in shared/', async () => {
    const messages = await lintAs('shared/bad.ts', 'export const x = document.title + process.pid;\n');
    expect(messages.filter((m) => m.startsWith('no-restricted-globals'))).toHaveLength(2);
  });

  it('refuses electron in services and renderer, node in the renderer and preload', async () => {
    expect((await lintAs('electron/main/services/bad.ts', "import { app } from 'electron';\nexport const x = app;\n")).join()).toMatch(/no-restricted-imports/);
    expect((await lintAs('renderer/src/bad.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n")).join()).toMatch(/no-restricted-imports/);
    expect((await lintAs('electron/preload/bad.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n")).join()).toMatch(/no-restricted-imports/);
  });

  it('allows node built-ins in services and type-only shared imports in the preload', async () => {
    expect(await lintAs('electron/main/services/ok.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n")).toEqual([]);
    expect(await lintAs('electron/preload/ok.ts', "import type { AppApi } from '../../shared/api/contract.ts';\nexport type X = AppApi;\n")).toEqual([]);
    expect((await lintAs('electron/preload/bad2.ts', "import { API_CHANNELS } from '../../shared/api/contract.ts';\nexport const x = API_CHANNELS;\n")).join()).toMatch(/no-restricted-imports/);
  });
});

describe('layering tsconfig', () => {
  it('a DOM global in shared/ fails type-checking; the same file type-checks with DOM libs', () => {
    const dir = mkdtempSync(join(root, 'shared', '.layering-'));
    try {
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'usesDom.ts'), 'export const title: string = document.title;\n');
      const cfg = (lib: string[], types: string[]) =>
        JSON.stringify({ extends: '../../tsconfig.base.json', compilerOptions: { lib, types }, include: ['usesDom.ts'] });
      writeFileSync(join(dir, 'tsconfig.json'), cfg(['ES2023'], []));
      const tsc = join(root, 'node_modules/typescript/bin/tsc');
      let failed = '';
      try {
        execFileSync(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json')], { encoding: 'utf8' });
      } catch (err) {
        failed = String((err as { stdout?: string }).stdout);
      }
      expect(failed).toMatch(/Cannot find name 'document'/);
      writeFileSync(join(dir, 'tsconfig.json'), cfg(['ES2023', 'DOM'], []));
      execFileSync(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json')], { encoding: 'utf8' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('shared/tsconfig.json is the one that forbids DOM and Node types', async () => {
    const { readFileSync } = await import('node:fs');
    const cfg = JSON.parse(readFileSync(join(root, 'shared/tsconfig.json'), 'utf8').replace(/^\s*\/\/.*$/gm, ''));
    expect(cfg.compilerOptions).toEqual({ lib: ['ES2023'], types: [] });
  });
});
