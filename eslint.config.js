// Lint: the layering rules of architecture.md ("who may import what"), enforced
// per folder like VS Code's code-layering rule, plus the TypeScript/Svelte basics.
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import svelteParser from 'svelte-eslint-parser';

const nodeBuiltins = ['fs', 'path', 'os', 'child_process', 'crypto', 'net', 'http', 'https', 'url', 'util', 'stream', 'worker_threads', 'module', 'process', 'buffer', 'events', 'readline', 'zlib', 'dgram', 'dns', 'tls', 'v8', 'vm'];
const noNode = [
  { group: ['node:*'], message: 'No Node built-ins here (architecture.md: import table).' },
  { group: nodeBuiltins, message: 'No Node built-ins here (architecture.md: import table).' },
];
const noElectron = { regex: '^electron(/|$)', message: 'Only the window factory, IPC registration and the entry import electron.' };
const noSqlite = { group: ['better-sqlite3', 'better-sqlite3-electron'], message: 'SQLite belongs to electron/main/services.' };
const noUi = { group: ['svelte', 'svelte/*', '@xyflow/*', 'codemirror', '@codemirror/*'], message: 'UI libraries belong to renderer/.' };
const into = (folder) => ({ group: [`**/${folder}/**`, `**/${folder}`], message: `Do not import from ${folder}/ here.` });

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'out/**', 'release/**', 'coverage/**', 'test-results/**', 'playwright-report/**', '.cache/**', 'e2e-screenshots/**'] },
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parser: svelteParser, parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] } },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-syntax': ['error', { selector: "MemberExpression[object.name='it'][property.name='only']", message: 'No focused tests.' }, { selector: "MemberExpression[object.name='describe'][property.name='only']", message: 'No focused tests.' }, { selector: "MemberExpression[object.name='test'][property.name='only']", message: 'No focused tests.' }],
    },
  },
  {
    // Test kits that other tests import stay pure too; file access lives in test/testkit/.
    files: ['shared/**/*.ts'],
    ignores: ['shared/**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [...noNode, noElectron, noSqlite, noUi, into('electron'), into('renderer'), into('cli')] }],
      'no-restricted-globals': ['error', 'window', 'document', 'process', 'Buffer', 'require', '__dirname', 'localStorage', 'navigator'],
    },
  },
  {
    files: ['shared/**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [noElectron, noUi, into('renderer')] }],
    },
  },
  {
    files: ['electron/main/services/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [noElectron, noUi, into('renderer'), into('preload')] }],
    },
  },
  {
    files: ['electron/main/**/*.ts'],
    ignores: ['electron/main/services/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [noUi, into('renderer'), into('preload')] }],
    },
  },
  {
    files: ['electron/preload/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        patterns: [...noNode, noSqlite, noUi, into('renderer'), { group: ['**/shared/**'], allowTypeImports: true, message: 'The preload may import shared/ types only.' }],
      }],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.svelte'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [...noNode, noElectron, noSqlite, into('electron'), into('cli')] }],
    },
  },
  {
    files: ['cli/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [noElectron, noUi, into('renderer')] }],
    },
  },
);
