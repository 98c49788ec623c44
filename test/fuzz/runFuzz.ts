// Worker side of `npm run fuzz` (scripts/fuzz.mjs bundles this file): builds the
// corpus (fixture dumps + generated + seed-like excerpts), runs the cases and
// reports progress to the parent, which watches for hangs.

import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { builtinCorpus, fuzzNetfilterParsers } from './netfilterFuzz.ts';
import { LIBVIRT_FIXTURES } from '../fixtures/fixturePaths.ts';

const FIXTURES = LIBVIRT_FIXTURES;

function walk(dir: string, out: string[]): string[] {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else out.push(path);
  }
  return out;
}

export function fuzzCorpus(): string[] {
  const files: string[] = [];
  try {
    // One case folder of each kind keeps the corpus varied but small.
    for (const f of walk(FIXTURES, [])) if (/\/(?:nat-single|route-pair|preexisting-host-rules|nat-ipv6-single)\/(?:ruleset|nft|commands)[^/]*\.txt$/.test(f)) files.push(f);
  } catch {
    // No fixtures on this machine: the built-in corpus still covers every format.
  }
  return [...builtinCorpus(), ...files.map((f) => readFileSync(f, 'utf8'))];
}

if (parentPort) {
  const { runs, seed, from } = workerData as { runs: number; seed: number; from: number };
  const corpus = fuzzCorpus();
  let last = Date.now();
  const result = fuzzNetfilterParsers({
    runs,
    seed,
    corpus,
    from,
    onProgress: (index) => {
      // Every case index goes to the parent so a hang can be pinned to its input.
      const now = Date.now();
      if (index % 500 === 0 || now - last > 200) {
        parentPort?.postMessage({ type: 'progress', index });
        last = now;
      } else parentPort?.postMessage({ type: 'at', index });
    },
  });
  parentPort.postMessage({ type: 'done', result, corpusSize: corpus.length });
}
