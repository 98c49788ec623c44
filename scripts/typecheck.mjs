// Type-checks every folder with its own tsconfig (see architecture.md: the
// per-folder lib/types settings are what keep shared/ free of DOM and Node).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

const projects = [
  'shared/tsconfig.json',
  'shared/tsconfig.test.json',
  'electron/main/services/tsconfig.json',
  'electron/main/tsconfig.json',
  'electron/preload/tsconfig.json',
  'cli/tsconfig.json',
  'test/tsconfig.json',
  'bench/tsconfig.json',
];

function run(cmd, args) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => resolve({ code, out }));
  });
}

const jobs = projects
  .filter((p) => existsSync(p))
  .map((p) => ({ name: p, cmd: process.execPath, args: ['node_modules/typescript/bin/tsc', '-p', p] }));
jobs.push({
  name: 'renderer (svelte-check)',
  cmd: process.execPath,
  args: ['node_modules/svelte-check/bin/svelte-check', '--tsconfig', 'renderer/tsconfig.json', '--fail-on-warnings', '--output', 'human'],
});

// Two at a time: our machines have 2 cores.
let failed = 0;
for (let i = 0; i < jobs.length; i += 2) {
  const batch = jobs.slice(i, i + 2);
  const results = await Promise.all(batch.map((j) => run(j.cmd, j.args)));
  results.forEach((r, k) => {
    if (r.code !== 0 && /TS18003/.test(r.out) && r.out.trim().split('\n').length <= 2) {
      process.stdout.write(`- typecheck ${batch[k].name}: no files yet\n`);
    } else if (r.code !== 0) {
      failed++;
      process.stdout.write(`\n✗ typecheck ${batch[k].name}\n${r.out}`);
    } else {
      process.stdout.write(`✓ typecheck ${batch[k].name}\n`);
    }
  });
}
process.exit(failed ? 1 : 0);
