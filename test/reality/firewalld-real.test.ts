// Real firewalld 1.3.3 (Debian 12) and 2.3.1 (Debian 13) — packages in chroots
// made by scripts/layer-tools-root.sh — against the model of the same version. Each scenario writes the
// lab's zone/policy files and firewalld.conf into private copies of
// /etc/firewalld, starts a private `dbus-daemon --system` and
// `firewalld --nofork --nopid` chrooted inside a throwaway network namespace +
// private mount namespace (toolSession.ts: nothing on the host changes; every
// process is ended by pid), optionally rewrites a zone and runs
// `firewall-cmd --reload`; after each step `nft list ruleset` (nftables
// backend) or iptables-save/ip6tables-save (iptables backend) must give every
// probe the same verdict as the model's state, and the layout must equal the
// model's line by line (firewalldLayout.ts: the `inet firewalld` table with the
// nftables backend, every iptables-save table with the iptables backend). polkit is not activated (its
// D-Bus service file is removed from the private copy): firewalld then
// authorises root itself.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { NetfilterState } from '../../shared/netfilter/netfilterState.ts';
import { PROBES, realState, verdictOf } from './layerTools/verdictMatrix.ts';
import { FIREWALLD_SCENARIOS, firewalldModelSteps, scenarioConf, type FirewalldBackend, type FirewalldScenario } from './layerTools/firewalldScenarios.ts';
import { TOOL_ROOTS, toolRootSkipReason, type ToolRoot } from './layerTools/toolRoot.ts';
import { runToolSession } from './layerTools/toolSession.ts';
import { firewalldLayoutDifferences } from './layerTools/firewalldLayout.ts';

function runScenario(s: FirewalldScenario, backend: FirewalldBackend, tools: ToolRoot): void {
  const reloadScript = Object.entries(s.reloadFiles ?? {}).map(([path, text]) => `cat > ${path} <<'VWEOF'\n${text}VWEOF`).join('\n');
  const real = runToolSession({
    root: tools.root,
    tag: 'fwd',
    iptables: 'nft',
    interfaces: ['eth1', 'virbr3'],
    privateDirs: ['/etc/firewalld', '/var/lib/dbus', '/var/log', '/usr/share/dbus-1/system-services'],
    remove: ['/usr/share/dbus-1/system-services/org.freedesktop.PolicyKit1.service'],
    files: { '/etc/firewalld/firewalld.conf': scenarioConf(s, backend), ...s.files },
    daemons: [
      { name: 'dbus', command: 'sh -c "mkdir -p /run/dbus && exec dbus-daemon --system --nofork --nopidfile"', ready: 'test -S /run/dbus/system_bus_socket' },
      { name: 'firewalld', command: 'firewalld --nofork --nopid --log-target console', ready: 'firewall-cmd --state' },
    ],
    steps: [
      { name: 'start', command: 'firewall-cmd --state' },
      ...(s.reloadFiles ? [{ name: 'reload', command: `${reloadScript}\nfirewall-cmd --reload` }] : []),
    ],
    dumps: [
      { name: 'nft', command: 'nft list ruleset' },
      { name: 'ipv4', command: 'iptables-save' },
      { name: 'ipv6', command: 'ip6tables-save' },
    ],
  });
  const capture = process.env.VIRTWALL_CAPTURE_DIR;
  real.steps.forEach((step, i) => {
    if (!capture) return;
    mkdirSync(capture, { recursive: true });
    for (const [name, text] of Object.entries(step.dumps)) writeFileSync(join(capture, `${tools.firewalld}.${s.slug}.${backend}.${i}-${step.name}.${name}.txt`), text);
  });
  const model = firewalldModelSteps(s, backend, tools.firewalld);
  real.steps.forEach((step, i) => {
    expect({ step: step.name, status: step.status, output: step.output }).toMatchObject({ step: step.name, status: 0 });
    expect({ step: step.name, modelRefused: model[i].refused }).toEqual({ step: step.name, modelRefused: [] });
    const kernel = realState({ nft: step.dumps.nft, ipv4: step.dumps.ipv4, ipv6: step.dumps.ipv6 });
    const verdicts = (state: NetfilterState) => PROBES.map((p) => `${p.hook} ${p.name}: ${verdictOf(state, p)}`);
    expect({ step: step.name, verdicts: verdicts(model[i].state) }).toEqual({ step: step.name, verdicts: verdicts(kernel) });
    // The layout line by line (nftables: the inet firewalld table; iptables: every iptables-save table).
    expect({ step: step.name, layout: firewalldLayoutDifferences({ nft: step.dumps.nft, ipv4: step.dumps.ipv4, ipv6: step.dumps.ipv6 }, model[i].state) }).toEqual({ step: step.name, layout: [] });
  });
}

for (const tools of TOOL_ROOTS) {
  const reason = toolRootSkipReason(`firewalld reality suite (${tools.label})`, ['usr/sbin/firewalld', 'usr/bin/firewall-cmd', 'usr/bin/dbus-daemon', 'usr/sbin/nft'], tools.root, tools.make);
  describe.skipIf(reason !== null)(`real firewalld ${tools.firewalld} (${tools.label}) vs the model (${reason ?? tools.root})`, () => {
    for (const backend of ['nftables', 'iptables'] as const) {
      for (const s of FIREWALLD_SCENARIOS) it(`FirewallBackend=${backend}: ${s.name}`, () => runScenario(s, backend, tools));
    }
  });
}
