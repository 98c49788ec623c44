// Export speed: building a variant's bundle (the timeline fold is timed
// separately, it is the timeline's cost), and writing it to a folder with
// fsync per file and the atomic rename.

import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildExportBundle } from '../../shared/export/buildExportBundle.ts';
import { effectiveHostForExport } from '../../shared/export/effectiveHostForExport.ts';
import { sampleProjectVariants } from '../../shared/lab/sampleLab.ts';
import { foldTimeline } from '../../shared/layers/timeline/foldTimeline.ts';
import { writeBundleFolder } from '../../electron/main/services/exportWriter/writeBundleFolder.ts';

function stats(times: number[]): string {
  const s = [...times].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return `median ${q(0.5).toFixed(2)} ms (p95 ${q(0.95).toFixed(2)} ms)`;
}

async function time(label: string, runs: number, f: () => unknown): Promise<void> {
  for (let i = 0; i < 5; i++) await f();
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const a = performance.now();
    await f();
    t.push(performance.now() - a);
  }
  console.log(`${label}: ${stats(t)}`);
}

const variant = sampleProjectVariants().find((v) => v.name === 'routed + SuSEfirewall2')!;
const ids = { newUuid: randomUUID, newMac: () => '52:54:00:aa:bb:cc' };
const effective = effectiveHostForExport(foldTimeline(variant.lab));
const bundle = buildExportBundle(variant.lab, effective, { variantName: variant.name, ...ids });
const bytes = bundle.files.reduce((n, f) => n + f.text.length, 0);
console.log(`bundle: ${bundle.files.length} files, ${bytes} characters`);

await time('foldTimeline (routed + SuSEfirewall2)', 200, () => foldTimeline(variant.lab));
await time('buildExportBundle from the fold (incl. SHA-256 of every file)', 200, () => buildExportBundle(variant.lab, effective, { variantName: variant.name, ...ids }));
const dir = mkdtempSync(join(tmpdir(), 'vw-export-bench-'));
let n = 0;
await time('writeBundleFolder (temp folder, fsync per file and folder, rename)', 50, () => writeBundleFolder(bundle, join(dir, `b${n++}`)));
rmSync(dir, { recursive: true, force: true });
