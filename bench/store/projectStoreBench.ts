// Benchmark of the project store (run: `node bench/store/projectStore.bench.mjs`).
// Measures what the user waits for: one edit saved (the UI's every keystroke
// commit), undo + redo, opening a project, Save As of a project with a long
// history. Prints a JSON line per measurement (median and p95 in ms).

import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProjectStore } from '../../electron/main/services/store/projectStore.ts';
import type { SqliteDriver } from '../../electron/main/services/store/sqliteDriver.ts';
import { sampleProjectVariants, sampleNetworkXml } from '../../shared/lab/sampleLab.ts';
import type { Lab } from '../../shared/lab/labModel.ts';

const dir = mkdtempSync(join(tmpdir(), 'vw-bench-store-'));
const store = () => new ProjectStore({ driver: Database as unknown as SqliteDriver, appVersion: 'bench' });

function stats(name: string, samples: number[], extra: Record<string, number | string> = {}): void {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  console.log(JSON.stringify({ name, n: samples.length, medianMs: +at(0.5).toFixed(3), p95Ms: +at(0.95).toFixed(3), ...extra }));
}

function time(fn: () => void): number {
  const t = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

/** A lab of 20 networks and 60 guests (the simulator's "big lab" size). */
function bigLab(): Lab {
  const lab = sampleProjectVariants()[1].lab;
  lab.networks = Array.from({ length: 20 }, (_, i) => ({ id: `net-${i}`, xml: sampleNetworkXml('route').replace(/deb/g, `net${i}`).replace(/192\.168\.10\./g, `10.${i}.0.`), autostart: true }));
  lab.guests = Array.from({ length: 60 }, (_, i) => ({ id: `guest-${i}`, name: `g${i}`, networkId: `net-${i % 20}`, address: `10.${i % 20}.0.${20 + i}`, listens: ['tcp/22'] }));
  return lab;
}

try {
  for (const [label, lab] of [['sample lab', sampleProjectVariants()[0].lab], ['20 networks, 60 guests', bigLab()]] as const) {
    const s = store();
    const path = join(dir, `edits-${label.length}.virtwall`);
    const id = s.create(path, 'bench', { variants: [{ name: 'v', lab }] }).variants[0].id;
    const bytes = JSON.stringify(lab).length;
    let revision = 0;
    const edit: number[] = [];
    for (let i = 0; i < 2000; i++) {
      edit.push(time(() => (revision = s.applyEdit(id, revision, { label: `edit ${i}`, patch: [{ op: 'replace', path: '/networks/0/xml', value: sampleNetworkXml(i % 2 ? 'route' : 'nat') }] }).revision)));
    }
    stats(`applyEdit (${label})`, edit.slice(100), { labBytes: bytes });
    const undoRedo: number[] = [];
    for (let i = 0; i < 500; i++) undoRedo.push(time(() => (s.undo(id), s.redo(id))));
    stats(`undo + redo (${label})`, undoRedo.slice(50));
    s.close();

    const opens: number[] = [];
    for (let i = 0; i < 50; i++) {
      const o = store();
      opens.push(time(() => o.open(path)));
      o.close();
    }
    stats(`open, 3000 history rows (${label})`, opens);

    const saves: number[] = [];
    const o = store();
    o.open(path);
    for (let i = 0; i < 10; i++) saves.push(time(() => o.copyTo(join(dir, `copy-${i}.virtwall`))));
    o.close();
    stats(`Save As copy, 3000 history rows (${label})`, saves);
  }
  const creates: number[] = [];
  for (let i = 0; i < 20; i++) {
    const s = store();
    creates.push(time(() => s.create(join(dir, `sample-${i}.virtwall`), 'sample', { variants: sampleProjectVariants() })));
    s.close();
  }
  stats('create the sample project (4 variants)', creates);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
