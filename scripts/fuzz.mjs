// npm run fuzz [-- RUNS [SEED]] — throws ≥ 100k mutated inputs at every netfilter
// parser (test/fuzz/netfilterFuzz.ts; fast-check, seeded, so a failure is
// reproducible by its seed and case index). The parsers run in a worker; if a
// case makes no progress for HANG_MS the worker is killed and the input that
// hung is printed. Exit 0 when every input parsed or was refused with a
// RulesetParseError carrying positions.
import { build } from 'esbuild';
import { Worker } from 'node:worker_threads';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.argv[2] ?? process.env.VIRTWALL_FUZZ_RUNS ?? 100_000);
const seed = Number(process.argv[3] ?? process.env.VIRTWALL_FUZZ_SEED ?? 20260601);
const HANG_MS = 30_000;

const outdir = join(root, '.cache/fuzz');
await build({
  entryPoints: [join(root, 'test/fuzz/runFuzz.ts'), join(root, 'test/fuzz/netfilterFuzz.ts')],
  outdir,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
});

const started = Date.now();
let lastIndex = -1;
let lastBeat = Date.now();
const worker = new Worker(join(outdir, 'runFuzz.js'), { workerData: { runs, seed, from: 0 } });

const result = await new Promise((resolve) => {
  const timer = setInterval(async () => {
    if (Date.now() - lastBeat < HANG_MS) return;
    clearInterval(timer);
    await worker.terminate();
    resolve({ hang: lastIndex });
  }, 1000);
  worker.on('message', (m) => {
    lastBeat = Date.now();
    if (m.type === 'progress' || m.type === 'at') lastIndex = m.index;
    if (m.type === 'progress' && m.index % 10_000 === 0 && m.index > 0) process.stdout.write(`  ${m.index} inputs, ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
    if (m.type === 'done') {
      clearInterval(timer);
      resolve(m.result);
    }
  });
  worker.on('error', (e) => {
    clearInterval(timer);
    resolve({ inputs: lastIndex + 1, failure: { message: `worker crashed: ${e.stack ?? e}`, input: '', seed, index: lastIndex + 1 } });
  });
});

const seconds = ((Date.now() - started) / 1000).toFixed(1);
if ('hang' in result) {
  const { fuzzCases, fuzzInput } = await import(pathToFileURL(join(outdir, 'netfilterFuzz.js')).href);
  const { fuzzCorpus } = await import(pathToFileURL(join(outdir, 'runFuzz.js')).href);
  const corpus = fuzzCorpus();
  const input = fuzzInput(corpus, fuzzCases(seed, runs, corpus.length)[result.hang]);
  process.stdout.write(`HANG: case ${result.hang} (seed ${seed}) made no progress for ${HANG_MS / 1000} s. Input:\n${input.slice(0, 4000)}\n`);
  process.exit(1);
}
if (result.failure) {
  process.stdout.write(`FAILURE at case ${result.failure.index} (seed ${seed}) after ${result.inputs} inputs, ${seconds} s:\n${result.failure.message}\n--- input ---\n${result.failure.input.slice(0, 4000)}\n`);
  process.exit(1);
}
process.stdout.write(`fuzz: ${result.inputs} mutated inputs × every netfilter parser, seed ${seed}: no crash, no hang, only RulesetParseError with positions (${seconds} s)\n`);
