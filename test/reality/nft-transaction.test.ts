// One `nft -f` is one kernel transaction: when the kernel refuses a command, every command of the
// batch is undone, but the handles the batch took stay taken. Each case's scripts go to the real
// `nft -f -` in a throwaway network namespace and, as a layer's `nft-script` action, through the
// replay the timeline uses (layerActionReplay.ts onto a NetfilterStateTarget); `nft -a list ruleset`
// (handles included) and which scripts failed must be equal.
// Root only: elsewhere the suite skips with a one-line reason, and fails under CI=true.

import { execFileSync, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { replayLayerActions } from '../../shared/layers/layerActionReplay.ts';
import { NetfilterStateTarget } from '../../shared/layers/netfilterStateTarget.ts';
import { emptyNetfilterState } from '../../shared/netfilter/netfilterState.ts';
import { printNftRuleset } from '../../shared/netfilter/nft/printNftRuleset.ts';
import { realitySkipReason } from './netns/realityGuard.ts';

const skip = realitySkipReason(['ip', 'nft']);
const NS = `vwtx${process.pid}`;

const BASE = 'add table ip t\nadd chain ip t c { type filter hook forward priority 0; policy accept; }\nadd rule ip t c accept';

/** Scripts applied one after another, each its own `nft -f` (its own transaction). */
const CASES: [string, string[]][] = [
  ['a refused last command undoes the new table, chain and rules before it', [BASE, 'add table ip u\nadd chain ip u d\nadd rule ip t c drop\nadd rule ip t c counter\ndelete chain ip t nosuch', 'add table ip v\nadd rule ip t c drop']],
  ['a refused first command: the rest of the batch is undone too', [BASE, 'delete chain ip t nosuch\nadd rule ip t c drop\nadd table ip u']],
  ['an aborted batch that deleted the table restores it whole', [BASE, 'delete table ip t\nadd table ip t\ndelete chain ip t nosuch', 'add rule ip t c drop']],
  ['an aborted policy change keeps the old policy', [BASE, 'add chain ip t c { type filter hook forward priority 0; policy drop; }\nadd chain ip t c { type filter hook input priority 0; }']],
  ['a batch that succeeds stays', [BASE, 'add table ip u\nadd chain ip u d\nadd rule ip t c drop']],
];

function nftInNetns(args: string[], input?: string): { status: number; stdout: string } {
  const r = spawnSync('ip', ['netns', 'exec', NS, 'nft', ...args], { input: input ?? '', encoding: 'utf8', timeout: 30_000 });
  return { status: r.status ?? -1, stdout: r.stdout ?? '' };
}

function real(scripts: string[]): { failed: number[]; listing: string } {
  // Deleting the tables (not `flush ruleset`, which keeps them) starts each case with fresh handles.
  spawnSync('ip', ['netns', 'del', NS]);
  execFileSync('ip', ['netns', 'add', NS]);
  const failed = scripts.flatMap((script, i) => (nftInNetns(['-f', '-'], `${script}\n`).status === 0 ? [] : [i]));
  return { failed, listing: nftInNetns(['-a', 'list', 'ruleset']).stdout };
}

function modelled(scripts: string[]): { failed: number[]; listing: string } {
  const target = new NetfilterStateTarget(emptyNetfilterState(), 'nft');
  const failed = scripts.flatMap((text, i) => {
    const [step] = replayLayerActions([{ kind: 'nft-script', text, file: `case${i}.nft`, firstLine: 1, provenance: { layer: 'own-script' } }], target);
    return step.ok ? [] : [i];
  });
  return { failed, listing: printNftRuleset(target.state.nft, { handles: true }) };
}

describe.skipIf(skip !== null)('nft -f is one transaction: the replay undoes a refused batch as the kernel does (throwaway netns)', () => {
  beforeAll(() => {
    execFileSync('ip', ['netns', 'add', NS]);
  });
  afterAll(() => {
    spawnSync('ip', ['netns', 'del', NS]);
  });

  test.each(CASES)('%s', (_name, scripts) => {
    expect(modelled(scripts)).toEqual(real(scripts));
  });
});
