// "A crash loses nothing that was acknowledged" (issue 2 §4): a plain Node child
// process writes to a project as fast as it can and acknowledges each edit after
// the store returned; we SIGKILL it at seeded random moments (sometimes while it
// is still opening the file, mostly in the middle of writing), then open the
// file and check that it opens and holds every acknowledged edit — at most one
// more (committed, killed before the ack was written), never fewer.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { applyPatch, type JsonPatchOp } from '../../../../shared/lab/jsonPatch.ts';
import type { Lab } from '../../../../shared/lab/labModel.ts';
import { driver, jsonDigest, tempFolder, testStore } from './store.testkit.ts';

const KILLS = 120;
const SEED = 20170425;

const here = dirname(fileURLToPath(import.meta.url));
// Inside the repository so the bundle resolves better-sqlite3 from node_modules.
const bundleDir = resolve(here, '../../../../.cache/store-crash-test');
const childPath = join(bundleDir, `child-${process.pid}.mjs`);
const tmp = tempFolder('crash');

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface RunResult {
  acks: { revision: number; digest: string }[];
  sawReady: boolean;
  stderr: string;
}

/**
 * Starts the writer and kills it with SIGKILL `killAfterMs` after spawn, or —
 * `whileWriting` — after its first acknowledged edit (so the kill lands in the
 * middle of a stream of commits even on a loaded machine). Returns the acks read.
 */
function runAndKill(path: string, seed: number, killAfterMs: number, whileWriting: boolean): Promise<RunResult> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [childPath, path, String(seed)], { stdio: ['ignore', 'pipe', 'pipe'] });
    const result: RunResult = { acks: [], sawReady: false, stderr: '' };
    let buffered = '';
    let timer: NodeJS.Timeout | undefined;
    const kill = () => child.kill('SIGKILL');
    if (!whileWriting) timer = setTimeout(kill, killAfterMs);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffered += chunk;
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        const [word, revision, digest] = line.split(' ');
        if (word === 'ready') result.sawReady = true;
        else if (word === 'ack') {
          if (whileWriting && result.acks.length === 0) timer = setTimeout(kill, killAfterMs);
          result.acks.push({ revision: Number(revision), digest });
        }
      }
    });
    child.stderr.on('data', (chunk) => (result.stderr += chunk));
    child.on('error', reject);
    // 'close' fires after the pipes are drained: every ack the child wrote is read.
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (signal !== 'SIGKILL') reject(new Error(`writer exited by itself (code ${code}): ${result.stderr}`));
      else resolveRun(result);
    });
  });
}

describe('crash safety', () => {
  beforeAll(async () => {
    mkdirSync(bundleDir, { recursive: true });
    await build({
      entryPoints: [join(here, 'crashChild.testkit.ts')],
      outfile: childPath,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      external: ['better-sqlite3'],
      logLevel: 'warning',
    });
  });
  afterAll(() => {
    rmSync(childPath, { force: true });
    tmp.remove();
  });

  it(`keeps every acknowledged edit through ${KILLS} SIGKILLs at random moments`, async () => {
    const path = tmp.file('crash.virtwall');
    const creator = testStore();
    const variantId = creator.create(path, 'crash').variants[0].id;
    const initialLab = creator.getVariant(variantId).lab;
    creator.close();

    const random = seeded(SEED);
    let last = { revision: 0, digest: jsonDigest(initialLab) };
    let killsMidWrite = 0;
    let plannedMidWrite = 0;
    let committedBeyondAck = 0;
    for (let run = 0; run < KILLS; run++) {
      // One run in six is killed at a random moment after spawn (often while
      // starting or opening the file); the others while writing.
      const early = random() < 1 / 6;
      if (!early) plannedMidWrite++;
      const result = await runAndKill(path, Math.floor(random() * 2 ** 31), early ? random() * 120 : random() * 20, !early);
      if (result.acks.length > 0) killsMidWrite++;
      for (const ack of result.acks) {
        expect(ack.revision).toBe(last.revision + 1);
        last = ack;
      }

      // Odd runs check read-only, which leaves a hot WAL for the next writer to
      // recover; even runs open read-write (and checkpoint on close).
      const store = testStore();
      const info = store.open(path, { readOnly: run % 2 === 1 });
      const doc = store.getVariant(info.variants[0].id);
      expect(doc.revision === last.revision || doc.revision === last.revision + 1, `run ${run}: revision ${doc.revision}, last ack ${last.revision}`).toBe(true);
      if (doc.revision === last.revision) {
        expect(jsonDigest(doc.lab), `run ${run}`).toBe(last.digest);
      } else {
        // Committed but killed before the ack: undoing that one row must give
        // back exactly the acknowledged lab.
        committedBeyondAck++;
        const db = new driver(path, { readonly: true });
        const row = db.prepare('SELECT inverse FROM history WHERE variant_id = ? AND revision = ?').get(variantId, doc.revision) as { inverse: string };
        db.close();
        expect(jsonDigest(applyPatch(doc.lab, JSON.parse(row.inverse) as JsonPatchOp[]).doc)).toBe(last.digest);
        last = { revision: doc.revision, digest: jsonDigest(doc.lab) };
      }
      store.close();
    }

    // The whole history is intact: one row per revision, and walking the
    // inverses back from the final lab arrives exactly at the initial lab.
    const db = new driver(path, { readonly: true });
    const rows = db.prepare('SELECT revision, inverse FROM history WHERE variant_id = ? ORDER BY revision DESC').all(variantId) as { revision: number; inverse: string }[];
    const finalLab = JSON.parse(db.prepare('SELECT lab FROM variant WHERE id = ?').pluck().get(variantId) as string) as Lab;
    db.close();
    expect(rows.map((r) => r.revision)).toEqual(Array.from({ length: last.revision }, (_, i) => last.revision - i));
    let lab = finalLab;
    for (const row of rows) lab = applyPatch(lab, JSON.parse(row.inverse) as JsonPatchOp[]).doc;
    expect(lab).toEqual(initialLab);

    // The kills must really have hit a writer at work.
    expect(plannedMidWrite).toBeGreaterThanOrEqual(KILLS * 0.75);
    expect(killsMidWrite).toBeGreaterThanOrEqual(plannedMidWrite);
    console.log(`crash test: ${KILLS} kills, ${killsMidWrite} while writing, ${last.revision} revisions kept, ${committedBeyondAck} commits beyond the last ack`);
  }, 120_000);
});
