import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { STORY_SEED } from '../../test/fixtures/fixturePaths.ts';
import { emptyNetfilterState } from '../netfilter/netfilterState.ts';
import { formatIptRule } from '../netfilter/iptables/printIptablesSave.ts';
import { replayLayerActions } from './layerActionReplay.ts';
import { NetfilterStateTarget } from './netfilterStateTarget.ts';
import { parseSfw2Config } from './susefirewall2/sfw2Config.ts';
import { sfw2StartActions } from './susefirewall2/sfw2Actions.ts';
import { ufwStartActions } from './ufw/ufwActions.ts';
import { dockerStartActions } from './docker/dockerActions.ts';
import { parseDaemonJson } from './docker/dockerDaemonJson.ts';
import { ownScriptActions } from './ownScript/ownScriptActions.ts';
import { rawRulesetActions } from './rawRuleset/rawRulesetActions.ts';
import type { LayerAction } from './layerActions.ts';
import { firewalldStartActions } from './firewalld/firewalldActions.ts';
import { buildFirewalldSetup } from './firewalld/firewalldSetup.ts';
import { printNftRuleset } from '../netfilter/nft/printNftRuleset.ts';

function run(actions: LayerAction[]) {
  const target = new NetfilterStateTarget(emptyNetfilterState(), 'legacy');
  const steps = replayLayerActions(actions, target);
  return { target, steps, failed: steps.filter((s) => !s.ok) };
}

const rulesOf = (target: NetfilterStateTarget, chain?: string): string[] =>
  target.state.iptables.legacy.ipv4.tables.flatMap((t) => (t.name !== 'filter' ? [] : t.chains.flatMap((c) => (chain && c.name !== chain ? [] : c.rules.map((r) => formatIptRule(c.name, r))))));

describe('replaying layer actions through the netfilter parser', () => {
  it('SuSEfirewall2: every generated command parses and applies; printed rules equal the seed dump lines exactly', () => {
    const cfg = parseSfw2Config('FW_DEV_EXT="eth1"\nFW_DEV_INT="eth0"\nFW_ROUTE="yes"\nFW_FORWARD="192.168.90.0/24,192.168.10.0/24 192.168.10.0/24,192.168.90.0/24"\nFW_TRUSTED_NETS="192.168.10.0/24"\nFW_ALLOW_FW_BROADCAST_EXT="5353"\nFW_LOG_ACCEPT_CRIT="yes"\n').config;
    const actions = sfw2StartActions(cfg, { version: '3.6.312', interfaces: ['eth0', 'eth1', 'lo', 'virbr3', 'virbr3-nic'], bridges: ['virbr3'], tables: { ipv4: ['filter'], ipv6: ['filter'] }, libvirtdActive: true });
    const { target, failed } = run(actions);
    expect(failed).toEqual([]);
    const printed = new Set(rulesOf(target));
    const seed = readFileSync(STORY_SEED, 'utf8');
    const seedRules = seed
      .slice(seed.indexOf('rux:/etc/sysconfig # iptables -S'))
      .split('\n')
      .filter((l) => /^-A (forward_|input_|reject_func)/.test(l) && !l.includes('192.168.0.0/24'));
    expect(seedRules.length).toBeGreaterThan(40);
    expect(seedRules.filter((l) => !printed.has(l))).toEqual([]);
    expect(target.state.iptables.legacy.ipv4.tables.find((t) => t.name === 'filter')?.chains.find((c) => c.name === 'FORWARD')?.policy).toBe('DROP');
  });

  it('provenance survives the replay: the deciding FW_FORWARD rule names its entry', () => {
    const cfg = parseSfw2Config('FW_DEV_EXT="eth1"\nFW_ROUTE="yes"\nFW_FORWARD="192.168.10.0/24,192.168.90.0/24"\n').config;
    const { target } = run(sfw2StartActions(cfg, { version: '3.6.346', interfaces: ['eth1'], bridges: [], tables: { ipv4: [], ipv6: [] }, libvirtdActive: true }));
    const fwdExt = target.state.iptables.legacy.ipv4.tables.find((t) => t.name === 'filter')?.chains.find((c) => c.name === 'forward_ext');
    const rule = fwdExt?.rules.find((r) => formatIptRule('forward_ext', r) === '-A forward_ext -s 192.168.10.0/24 -d 192.168.90.0/24 -m conntrack --ctstate NEW,RELATED,ESTABLISHED -j ACCEPT');
    expect(rule?.provenance).toMatchObject({ layer: 'susefirewall2', layerLabel: 'SuSEfirewall2 3.6.346', reason: 'FW_FORWARD entry 1: 192.168.10.0/24,192.168.90.0/24' });
    expect(target.signals.map((s) => s.signal)).toEqual(['sighup']);
  });

  it('ufw with the shipped files applies without a single failed command', () => {
    const { failed, target } = run(ufwStartActions({}, { version: '0.36.1', chains: { ipv4: [], ipv6: [] } }).actions);
    expect(failed).toEqual([]);
    expect(rulesOf(target, 'ufw-before-forward')).toContain('-A ufw-before-forward -p icmp -m icmp --icmp-type 8 -j ACCEPT');
  });

  it('Docker 27 and 28.5 apply cleanly; a restart on top of its own chains too', () => {
    for (const version of ['17.03.2', '27.5.1', '28.5.2']) {
      const cfg = parseDaemonJson('{}').config;
      const first = dockerStartActions(cfg, { version, ipForward: false, ipv6Forwarding: false, chains: { ipv4: { filter: [], nat: [] }, ipv6: { filter: [], nat: [] } }, nftTablesPresent: false });
      const { failed, target } = run(first);
      expect({ version, failed }).toEqual({ version, failed: [] });
      const filter = target.state.iptables.legacy.ipv4.tables.find((t) => t.name === 'filter');
      const chains = filter?.chains.filter((c) => c.policy === null).map((c) => c.name) ?? [];
      const nat = target.state.iptables.legacy.ipv4.tables.find((t) => t.name === 'nat')?.chains.filter((c) => c.policy === null).map((c) => c.name) ?? [];
      const again = dockerStartActions(cfg, { version, ipForward: true, ipv6Forwarding: false, chains: { ipv4: { filter: chains, nat }, ipv6: { filter: [], nat: [] } }, nftTablesPresent: false });
      const steps = replayLayerActions(again, target);
      expect({ version, failed: steps.filter((s) => !s.ok) }).toEqual({ version, failed: [] });
      const fwd = rulesOf(target, 'FORWARD');
      expect(new Set(fwd).size).toBe(fwd.length);
    }
  });

  it('own script: a command iptables would refuse is reported with its message, the rest applies', () => {
    const p = ownScriptActions({ file: 'fw.sh', text: 'iptables -N MINE\niptables -A FORWARD -j NOPE\niptables -A FORWARD -j MINE\n', format: 'sh', files: {}, layerLabel: 'fw.sh' });
    const { failed, target } = run(p.actions);
    expect(failed).toHaveLength(1);
    expect(failed[0].message).toContain("Couldn't load target `NOPE'");
    expect(rulesOf(target, 'FORWARD')).toEqual(['-A FORWARD -j MINE']);
    expect(target.notes[0].text).toContain('iptables -A FORWARD -j NOPE failed');
  });

  it('raw ruleset: replaces the family\'s state and keeps the file as provenance', () => {
    const dump = '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n-A FORWARD -i virbr3 -j REJECT --reject-with icmp-port-unreachable\nCOMMIT\n';
    const { failed, target } = run(rawRulesetActions({ file: 'host-iptables.txt', text: dump, settings: {}, layerLabel: 'imported from host' }));
    expect(failed).toEqual([]);
    const fwd = target.state.iptables.legacy.ipv4.tables[0].chains.find((c) => c.name === 'FORWARD');
    expect(fwd?.policy).toBe('DROP');
    expect(fwd?.rules[0].provenance).toMatchObject({ layer: 'imported', file: 'host-iptables.txt', line: 5 });
  });

  it('firewalld (nftables and iptables backends, several versions) applies without a failed command', () => {
    const networks = [
      { id: 'a', autostart: true, xml: "<network><name>nat</name><forward mode='nat'/><bridge name='virbr1'/><ip address='192.168.11.1' prefix='24'/></network>" },
      { id: 'b', autostart: true, xml: "<network><name>routed</name><forward mode='route'/><bridge name='virbr3'/><ip address='192.168.10.1' prefix='24'/></network>" },
    ];
    for (const version of ['0.6.3', '0.9.3', '1.3.0', '2.3.0']) {
      for (const backend of ['nftables', 'iptables']) {
        const setup = buildFirewalldSetup({ version, files: { '/etc/firewalld/firewalld.conf': `FirewallBackend=${backend}\nDefaultZone=public\n`, '/etc/firewalld/zones/external.xml': '<zone><service name="ssh"/><masquerade/><interface name="eth2"/><rule family="ipv4" priority="-5"><source address="10.0.0.0/8"/><port port="443" protocol="tcp"/><drop/></rule></zone>' }, settings: { 'interface:eth1': 'public' }, libvirtVersion: '9.0', networks });
        const { failed, target } = run(firewalldStartActions(setup, { tablePresent: false, tables: { ipv4: [], ipv6: [] } }, false));
        expect({ version, backend, failed: failed.map((f) => f.message) }).toEqual({ version, backend, failed: [] });
        if (backend === 'nftables') expect(printNftRuleset(target.state.nft)).toContain('chain filter_FORWARD {');
      }
    }
  });

  it('Docker 29 nftables backend and an own nft script apply through the nft parser', () => {
    const docker = dockerStartActions(parseDaemonJson('{"firewall-backend": "nftables"}').config, { version: '29.1.0', ipForward: true, ipv6Forwarding: false, chains: { ipv4: { filter: [], nat: [] }, ipv6: { filter: [], nat: [] } }, nftTablesPresent: false });
    const own = ownScriptActions({ file: '/etc/nftables.conf', text: 'table inet filter {\n  chain forward {\n    type filter hook forward priority 0; policy drop;\n    iifname "virbr3" accept\n  }\n}\n', format: 'nft', files: {}, layerLabel: 'nftables.conf' }).actions;
    const { failed, target } = run([...docker, ...own]);
    expect(failed).toEqual([]);
    const rule = target.state.nft.tables.find((t) => t.name === 'filter')?.chains[0].rules[0];
    expect(rule?.provenance).toMatchObject({ layer: 'own-script', file: '/etc/nftables.conf', line: 4 });
  });
});

describe('an nft batch is one transaction', () => {
  const base = { kind: 'nft-script' as const, firstLine: 1, provenance: { layer: 'own-script', layerLabel: 'own script' } };

  it('a command the kernel refuses undoes the whole file, and the error names the file and line; handles stay used', () => {
    const target = new NetfilterStateTarget(emptyNetfilterState(), 'nft');
    const steps = replayLayerActions(
      [
        { ...base, file: 'a.nft', text: 'add table ip t\nadd chain ip t c { type filter hook forward priority 0; policy accept; }\nadd rule ip t c accept' },
        { ...base, file: 'b.nft', text: 'add table ip u\nadd rule ip t c drop\ndelete chain ip t nosuch' },
        { ...base, file: 'c.nft', text: 'add rule ip t c counter drop' },
      ],
      target,
    );
    expect(steps.map((s) => s.ok)).toEqual([true, false, true]);
    expect(steps[1].message).toMatch(/^b\.nft:3: .*No such file or directory.*; the whole batch \(3 commands\) was undone$/);
    expect(target.notes.map((n) => n.text)).toEqual([expect.stringMatching(/^own script: nft -f b\.nft failed: b\.nft:3: /)]);
    // Table u and the drop rule are gone; the next rule gets handle 4 (3 was taken by the aborted batch), as the kernel does.
    expect(printNftRuleset(target.state.nft, { handles: true })).toBe('table ip t { # handle 1\n\tchain c { # handle 1\n\t\ttype filter hook forward priority filter; policy accept;\n\t\taccept # handle 2\n\t\tcounter drop # handle 4\n\t}\n}\n');
  });

  it('an nft command line with mayFail still leaves nothing of a refused batch behind', () => {
    const target = new NetfilterStateTarget(emptyNetfilterState(), 'nft');
    replayLayerActions([{ kind: 'nft', command: 'add table ip t', provenance: base.provenance }], target);
    const [step] = replayLayerActions([{ kind: 'nft', command: 'add table ip t { chain c { type filter hook input priority 0; }; chain c { type filter hook output priority 0; }; }', provenance: base.provenance, mayFail: true }], target);
    expect(step.ok).toBe(true);
    expect(printNftRuleset(target.state.nft)).toBe('table ip t {\n}\n');
  });
});
