// The printers' output is accepted by the real tools: every fixture dump and
// generated ruleset is parsed, printed, and fed to `iptables-restore --test`,
// `ip6tables-restore --test`, `iptables-legacy-restore --test` and
// `nft -c -f -` inside a throwaway network namespace (the checks need
// CAP_NET_ADMIN; nothing on the host is touched). Root only: elsewhere the
// suite skips with a one-line reason, and fails under CI=true.

import { execFileSync, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { generateFirewallSave } from '../../bench/gen/firewallGenerator.ts';
import { generateNftList } from '../../bench/gen/nftGenerator.ts';
import { parseIptablesSave } from '../../shared/netfilter/iptables/parseIptablesSave.ts';
import { printIptablesSave } from '../../shared/netfilter/iptables/printIptablesSave.ts';
import { iptablesSaveFixtures, nftListFixtures, readFixture } from '../testkit/netfilterFixtures.ts';
import { parseNft } from '../../shared/netfilter/nft/parseNft.ts';
import { printNftRuleset } from '../../shared/netfilter/nft/printNftRuleset.ts';
import { realitySkipReason } from './netns/realityGuard.ts';

const skip = realitySkipReason(['ip', 'iptables-restore', 'ip6tables-restore', 'iptables-legacy-restore', 'nft']);
const NS = `vwsyn${process.pid}x1`;

/** Runs a tool inside the namespace with `input` on stdin; returns its exit status and stderr. */
function inNetns(argv: string[], input: string): { status: number; stderr: string } {
  const r = spawnSync('ip', ['netns', 'exec', NS, ...argv], { input, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status ?? -1, stderr: `${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
}

const created = new Set<string>();

/** nft resolves `iif "virbr3"` / `oif …` to an ifindex at load time: give such names a dummy link in our namespace. */
function ensureInterfaces(text: string): void {
  for (const m of text.matchAll(/\b(?:iif|oif) "([^"]+)"/g)) {
    if (created.has(m[1])) continue;
    if (spawnSync('ip', ['netns', 'exec', NS, 'ip', 'link', 'show', m[1]], { stdio: 'ignore' }).status === 0) {
      created.add(m[1]);
      continue;
    }
    // A veth pair (this kernel has no dummy module); the peer gets a short unique name.
    execFileSync('ip', ['netns', 'exec', NS, 'ip', 'link', 'add', m[1], 'type', 'veth', 'peer', 'name', `vwp${created.size}`]);
    created.add(m[1]);
  }
}

function accepted(argv: string[], text: string, what: string): void {
  if (argv[0] === 'nft') ensureInterfaces(text);
  const r = inNetns(argv, text);
  expect(r.status, `${argv.join(' ')} refused ${what}:\n${r.stderr}`).toBe(0);
}

describe.skipIf(skip !== null)('printed rulesets are accepted by the real tools (in a throwaway netns)', () => {
  beforeAll(() => {
    execFileSync('ip', ['netns', 'add', NS]);
  });
  afterAll(() => {
    spawnSync('ip', ['netns', 'del', NS]);
  });

  const saveFiles = iptablesSaveFixtures();
  test.each(saveFiles.map((f) => [f.replace(/^.*fixtures\/libvirt\//, ''), f]))('fixture %s: ip(6)tables-restore --test (and legacy for IPv4)', (_name, file) => {
    const parsed = parseIptablesSave(readFixture(file), { file });
    const text = printIptablesSave(parsed.ruleset, parsed.header ? { header: parsed.header } : {});
    if (parsed.ruleset.family === 'ipv6') accepted(['ip6tables-restore', '--test'], text, file);
    else {
      accepted(['iptables-restore', '--test'], text, file);
      accepted(['iptables-legacy-restore', '--test'], text, file);
    }
  });

  // iptables-nft's own tables hold `xt` expressions nft cannot recreate from text (fixtures say
  // "XT target MASQUERADE not found"); nft -c is checked on the native nftables dumps.
  const nftFiles = nftListFixtures().filter((f) => !/\bxt |XT target/.test(readFixture(f)));
  test('there are native nft dumps to check', () => {
    expect(nftFiles.length).toBeGreaterThan(50);
  });
  test.each(nftFiles.map((f) => [f.replace(/^.*fixtures\/libvirt\//, ''), f]))('fixture %s: nft -c -f', (_name, file) => {
    accepted(['nft', '-c', '-f', '-'], printNftRuleset(parseNft(readFixture(file), { file }).ruleset), file);
  });

  test.each([1, 2, 3, 4, 5])('generated iptables rulesets, seed %i, IPv4 and IPv6, nf_tables and legacy', (seed) => {
    for (const family of ['ipv4', 'ipv6'] as const) {
      const parsed = parseIptablesSave(generateFirewallSave({ rules: 3000, seed, family }));
      const text = printIptablesSave(parsed.ruleset);
      if (family === 'ipv6') accepted(['ip6tables-restore', '--test'], text, `seed ${seed} ipv6`);
      else {
        accepted(['iptables-restore', '--test'], text, `seed ${seed}`);
        accepted(['iptables-legacy-restore', '--test'], text, `seed ${seed} (legacy)`);
      }
    }
  });

  test.each([1, 2, 3])('generated nft ruleset, seed %i: nft -c -f', (seed) => {
    accepted(['nft', '-c', '-f', '-'], printNftRuleset(parseNft(generateNftList({ rules: 1500, seed })).ruleset), `nft seed ${seed}`);
  });

  test('a broken ruleset is refused (the check can fail)', () => {
    // (iptables-nft's --test does not check jump targets; legacy's does.)
    expect(inNetns(['iptables-legacy-restore', '--test'], '*filter\n:INPUT ACCEPT\n-A INPUT -j NOSUCHCHAIN\nCOMMIT\n').status).not.toBe(0);
    expect(inNetns(['iptables-restore', '--test'], '*filter\n:INPUT ACCEPT\n-A INPUT -p tcp --dport 99999 -j ACCEPT\nCOMMIT\n').status).not.toBe(0);
    expect(inNetns(['nft', '-c', '-f', '-'], 'table ip t {\n\tchain c {\n\t\tjump nowhere\n\t}\n}\n').status).not.toBe(0);
  });
});
