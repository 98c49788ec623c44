// Parse speed on a 10k-rule iptables-save shaped like a real firewall
// (bench/gen/firewallGenerator.ts):
//  1. in-process: parseIptablesSave on the text, warmed up, median of 30 runs
//     (plus the first, cold, run and parse of the nft generator's text);
//  2. whole process: `virtwall rules check FILE` against
//     `iptables-legacy-restore --test FILE`, run alternately, both through
//     `ip netns exec` of a throwaway namespace (legacy restore needs one; the
//     same wrapper for both keeps the comparison fair), and `node -e 0` as the
//     floor no Node program can beat. Root only for 2.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateFirewallSave } from './gen/firewallGenerator.ts';
import { generateNftList } from './gen/nftGenerator.ts';
import { parseIptablesSave } from '../shared/netfilter/iptables/parseIptablesSave.ts';
import { parseNft } from '../shared/netfilter/nft/parseNft.ts';

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)];
const ms = (x: number): string => `${x.toFixed(1)} ms`;

/** Wall time of each run; `cpu` collects the process CPU time of each run (all threads, so GC helpers count). */
function timeIt(fn: () => unknown, runs: number, cpu?: number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c = process.cpuUsage();
    const t = performance.now();
    fn();
    out.push(performance.now() - t);
    const d = process.cpuUsage(c);
    cpu?.push((d.user + d.system) / 1000);
  }
  return out;
}

const text = generateFirewallSave({ rules: 10000, seed: 1, header: true });
const cold = timeIt(() => parseIptablesSave(text), 1)[0];
timeIt(() => parseIptablesSave(text), 10);
const warmCpu: number[] = [];
const warm = timeIt(() => parseIptablesSave(text), 30, warmCpu);
const rules = parseIptablesSave(text).ruleset.tables.reduce((n, t) => n + t.chains.reduce((m, c) => m + c.rules.length, 0), 0);
const nftText = generateNftList({ rules: 10000, seed: 1 });
timeIt(() => parseNft(nftText), 5);
const nftWarm = timeIt(() => parseNft(nftText), 15);
process.stdout.write(`iptables-save ${rules} rules, ${(text.length / 1024).toFixed(0)} KiB: in-process parse median ${ms(median(warm))} wall, ${ms(median(warmCpu))} CPU (p95 ${ms(p95(warm))}; first cold run ${ms(cold)}); load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores\n`);
process.stdout.write(`nft list ruleset ~10k rules, ${(nftText.length / 1024).toFixed(0)} KiB: in-process parse median ${ms(median(nftWarm))}\n`);

const root = process.cwd();
if (process.getuid?.() !== 0) {
  process.stdout.write('whole-process comparison skipped: needs root (iptables-legacy-restore --test in a network namespace)\n');
} else {
  const dir = mkdtempSync(join(tmpdir(), 'vw-bench-'));
  const file = join(dir, 'firewall.rules');
  writeFileSync(file, text);
  const ns = `vwbench${process.pid}`;
  execFileSync('ip', ['netns', 'add', ns]);
  try {
    const run = (argv: string[]): number => {
      const t = performance.now();
      const r = spawnSync('ip', ['netns', 'exec', ns, ...argv], { stdio: ['ignore', 'ignore', 'pipe'] });
      if (r.status !== 0) throw new Error(`${argv.join(' ')} failed: ${r.stderr}`);
      return performance.now() - t;
    };
    const virtwall = [process.execPath, join(root, 'bin/virtwall.js'), 'rules', 'check', file];
    const legacy = ['iptables-legacy-restore', '--test', file];
    // The floor: Node starting and exiting with nothing to do (the CLI cannot be faster than this).
    const floor = [process.execPath, '-e', '0'];
    for (let i = 0; i < 3; i++) {
      run(virtwall);
      run(legacy);
      run(floor);
    }
    const a: number[] = [];
    const b: number[] = [];
    const f: number[] = [];
    for (let i = 0; i < 20; i++) {
      a.push(run(virtwall));
      b.push(run(legacy));
      f.push(run(floor));
    }
    process.stdout.write(`whole process, alternating ×20: virtwall rules check median ${ms(median(a))}, iptables-legacy-restore --test median ${ms(median(b))}, ratio ${(median(a) / median(b)).toFixed(2)}×; node -e 0 median ${ms(median(f))} (${(median(f) / median(b)).toFixed(2)}× of the restore alone)\n`);
  } finally {
    spawnSync('ip', ['netns', 'del', ns]);
    rmSync(dir, { recursive: true, force: true });
  }
}
