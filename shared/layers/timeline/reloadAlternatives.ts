// When libvirt reloads several networks (daemon start with active networks,
// SIGHUP, firewalld's signal) it walks them in hash-table order, which is not
// fixed: six identical runs gave both orders (fixtures */restart-order-trials).
// The fold shows one order and must not pretend it is the only one, so the
// same event is replayed from the state before it in every other order
// (all orders up to 3 networks, else a sample: 4 rotations and the reverse) and the
// outcomes compared per network: usually only which network's block comes
// first differs, but after `nft flush ruleset` a network can lose all its rules
// (stale handles, libvirt.md §4.3: 3 of 6 runs in nft-flush-restart-trials).

import type { TimelineEvent } from '../../lab/labModel.ts';
import type { NetfilterState } from '../../netfilter/netfilterState.ts';
import { formatIptRule } from '../../netfilter/iptables/printIptablesSave.ts';
import { formatNftRule } from '../../netfilter/nft/printNftRuleset.ts';
import type { FoldNote, ReloadAlternative } from './effectiveHost.ts';
import type { HostTimeline } from './hostTimeline.ts';

function permutations(ids: string[]): string[][] {
  if (ids.length <= 1) return [ids];
  return ids.flatMap((id, i) => permutations([...ids.slice(0, i), ...ids.slice(i + 1)]).map((rest) => [id, ...rest]));
}

/** Every order up to 3 networks; beyond, the start order, 4 rotations and the reverse (a sample: n! is too many). */
export function candidateOrders(ids: string[]): string[][] {
  if (ids.length <= 3) return permutations(ids);
  const rotations = ids.slice(0, 5).map((_, i) => [...ids.slice(i), ...ids.slice(0, i)]);
  return [...rotations, [...ids].reverse()];
}

/** libvirt's rules per layer label ("libvirt 9.0 · network deb (nat)"), as sorted rule texts. */
export function libvirtRulesByLabel(state: NetfilterState): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (label: string | undefined, text: string): void => {
    if (!label) return;
    const list = out.get(label) ?? [];
    list.push(text);
    out.set(label, list);
  };
  for (const backend of ['legacy', 'nft'] as const) {
    for (const family of ['ipv4', 'ipv6'] as const) {
      for (const table of state.iptables[backend][family].tables) {
        for (const chain of table.chains) {
          for (const r of chain.rules) if (r.provenance?.layer === 'libvirt') add(r.provenance.layerLabel, `${family} ${table.name} ${formatIptRule(chain.name, r)}`);
        }
      }
    }
  }
  for (const table of state.nft.tables) {
    for (const chain of table.chains) {
      for (const r of chain.rules) if (r.provenance?.layer === 'libvirt') add(r.provenance.layerLabel, `${table.family} ${table.name} ${chain.name} ${formatNftRule(r)}`);
    }
  }
  for (const list of out.values()) list.sort();
  return out;
}

/**
 * With iptables (rules removed by specification) every order leaves each network with the same
 * rules; only which block comes first differs. No need to replay: the other orders are listed as
 * such (`simulated: false`). nftables removes by stored handle, so there every order is replayed.
 */
export function listReloadOrders(t: HostTimeline, event: TimelineEvent, shown: string[]): void {
  const nameOf = (id: string): string => t.networks.find((n) => n.id === id)?.network?.name ?? id;
  const labels = new Map(t.daemon.running.map((n) => [n.layerLabel, n.name]));
  const counts: Record<string, number> = Object.fromEntries(shown.map((id) => [nameOf(id), 0]));
  for (const [label, texts] of libvirtRulesByLabel(t.state)) {
    const name = labels.get(label);
    if (name !== undefined) counts[name] = texts.length;
  }
  const alternatives = candidateOrders(shown)
    .filter((o) => o.join('\0') !== shown.join('\0'))
    .map((o): ReloadAlternative => ({ order: o.map(nameOf), rulesPerNetwork: { ...counts }, sameRulesAsShown: true }));
  t.reloadAlternatives.push({ eventId: event.id, shownOrder: shown.map(nameOf), simulated: false, alternatives });
  t.notes.push(orderNote(event, shown.map(nameOf)));
}

function orderNote(event: TimelineEvent, names: string[]): FoldNote {
  return {
    eventId: event.id,
    severity: 'info',
    text: `libvirt re-added the rules of ${names.length} networks in its own iteration order, which is not fixed (a hash table; fixture restart-order-trials shows both orders in six identical runs). Shown: ${names.join(', ')} — the network re-added last is on top of every chain; in another run a different network's block can come first.`,
  };
}

export function compareReloadOrders(t: HostTimeline, before: HostTimeline, event: TimelineEvent, shown: string[], step: (t: HostTimeline, e: TimelineEvent) => void): void {
  const nameOf = (id: string): string => t.networks.find((n) => n.id === id)?.network?.name ?? id;
  const labels = new Map(t.daemon.running.map((n) => [n.layerLabel, n.name]));
  const perNetwork = (state: NetfilterState): Map<string, string[]> => {
    const m = new Map<string, string[]>();
    for (const id of shown) m.set(nameOf(id), []);
    for (const [label, texts] of libvirtRulesByLabel(state)) {
      const name = labels.get(label);
      if (name !== undefined) m.set(name, texts);
    }
    return m;
  };
  const shownRules = perNetwork(t.state);
  const alternatives: ReloadAlternative[] = [];
  for (const order of candidateOrders(shown)) {
    if (order.join('\0') === shown.join('\0')) continue;
    const c = before.clone();
    c.forcedOrder = order;
    step(c, event);
    const rules = perNetwork(c.state);
    const same = [...shownRules].every(([name, texts]) => (rules.get(name) ?? []).join('\n') === texts.join('\n'));
    const alt: ReloadAlternative = { order: order.map(nameOf), rulesPerNetwork: Object.fromEntries([...rules].map(([n, r]) => [n, r.length])), sameRulesAsShown: same };
    if (t.options.keepAlternativeStates) alt.state = c.state;
    alternatives.push(alt);
  }
  t.reloadAlternatives.push({ eventId: event.id, shownOrder: shown.map(nameOf), simulated: true, alternatives });
  t.notes.push(orderNote(event, shown.map(nameOf)));
  for (const alt of alternatives.filter((a) => !a.sameRulesAsShown)) {
    const losses = [...shownRules].filter(([name, texts]) => (alt.rulesPerNetwork[name] ?? 0) < texts.length).map(([name, texts]) => `network ${name} keeps ${alt.rulesPerNetwork[name] ?? 0} of its ${texts.length} rules`);
    const what = losses.length ? losses.join(', ') : 'the rules differ from the ones shown';
    const why = t.daemon.flavour.backend === 'nftables'
      ? "libvirt deletes each network's stored rule handles, which after a flush can belong to another network's fresh rules; libvirt.md §4.3"
      : 'the outcome depends on the order libvirt happens to use';
    t.notes.push({ eventId: event.id, severity: 'warning', text: `If libvirt reloads in the order ${alt.order.join(', ')}, ${what} (${why}). A later net-destroy + net-start of that network restores its rules.` });
  }
}
