// npm run bench [-- FILTER]: runs every bench/**/*.bench.mjs (or those whose
// path contains FILTER) one after another, each in its own Node process so
// one bench's heap and JIT state do not colour the next one's numbers.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const filter = process.argv[2] ?? '';

function benchFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return benchFiles(path);
    return entry.name.endsWith('.bench.mjs') ? [path] : [];
  });
}

const files = benchFiles(join(root, 'bench')).sort().filter((f) => relative(root, f).includes(filter));
if (files.length === 0) {
  console.error(`no bench matches "${filter}" (files are bench/**/*.bench.mjs)`);
  process.exit(2);
}
let failed = 0;
for (const file of files) {
  console.log(`\n=== ${relative(root, file)}`);
  const run = spawnSync(process.execPath, [file], { cwd: root, stdio: 'inherit' });
  if (run.status !== 0) failed += 1;
}
process.exit(failed === 0 ? 0 : 1);
