// npm run check:electron — @doyensec/electronegativity on the built app (out/).
// Electronegativity exits 0 even with findings, so this reads its CSV and fails
// on any HIGH or MEDIUM finding that is not in the reviewed list below. Each
// reviewed entry names the check, the exact code it points at, and why it is
// fine; a new openExternal or preload anywhere else fails the check again.
// Runs offline (`electron-vite build` first unless --no-build).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root } from './electronBinary.mjs';

const REVIEWED = [
  { check: 'PRELOAD_JS_CHECK', sample: 'preload: options.preloadPath,', why: 'our own sandboxed preload: named methods only (electron/preload/index.ts), no Node in the page' },
  { check: 'OPEN_EXTERNAL_JS_CHECK', sample: 'if (external) shell.openExternal(external);', why: 'the URL went through externalHttpsUrl(): parsed with new URL, https only, no credentials' },
  { check: 'OPEN_EXTERNAL_JS_CHECK', sample: 'if (safe) shell.openExternal(safe);', why: 'the URL went through externalHttpsUrl(): parsed with new URL, https only, no credentials' },
  { check: 'OPEN_EXTERNAL_JS_CHECK', sample: 'click: () => ctx.openExternal(LIBVIRT_NETWORK_DOCS)', why: 'a constant https URL (libvirt documentation), passed to the checked openExternal above' },
];

/** Splits one CSV line (quoted fields with "" escapes). */
function csvFields(line) {
  const out = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      out.push(field.trim());
      field = '';
    } else field += c;
  }
  out.push(field.trim());
  return out;
}

if (!process.argv.includes('--no-build')) {
  const build = spawnSync(process.execPath, [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const dir = mkdtempSync(join(tmpdir(), 'vw-electronegativity-'));
try {
  const csv = join(dir, 'report.csv');
  const electronVersion = JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')).version;
  const run = spawnSync(process.execPath, [join(root, 'node_modules/@doyensec/electronegativity/dist/index.js'), '-i', join(root, 'out'), '-o', csv, '-r', '-v', 'false', '-e', electronVersion], { cwd: root, encoding: 'utf8' });
  if (run.status !== 0) {
    process.stderr.write(run.stdout + run.stderr);
    console.error('✗ electronegativity did not run');
    process.exit(1);
  }
  const [header, ...lines] = readFileSync(csv, 'utf8').split('\n').filter((l) => l.trim());
  const names = csvFields(header);
  const findings = lines.map((l) => Object.fromEntries(csvFields(l).map((v, i) => [names[i], v])));
  let failed = 0;
  for (const f of findings) {
    const reviewed = REVIEWED.find((r) => r.check === f.issue && f.sample.trim() === r.sample);
    const blocking = (f.severity === 'HIGH' || f.severity === 'MEDIUM') && !reviewed;
    if (blocking) failed++;
    const mark = blocking ? '✗' : reviewed ? '✓ reviewed' : '·';
    console.log(`${mark} ${f.severity.padEnd(13)} ${f.issue} ${f.filename}:${f.location}  ${f.sample.trim()}${reviewed ? `\n    (${reviewed.why})` : ''}`);
  }
  console.log(`\nelectronegativity: ${findings.length} finding(s), ${failed} blocking (HIGH/MEDIUM not reviewed)`);
  process.exit(failed ? 1 : 0);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
