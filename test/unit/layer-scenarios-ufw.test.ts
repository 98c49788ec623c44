// firewall-layers.md §4 (e): U1–U6 on T0, ufw enabled with the shipped files.
// ufw appends its chains to the built-ins at start; libvirt's iptables rules,
// inserted on top afterwards, decide guest traffic first. With libvirt's
// nftables backend (≥ 10.4) ufw's `ip filter` chains and policies still apply.

import { describe, expect, it } from 'vitest';
import type { Lab } from '../../shared/lab/labModel.ts';
import { readUfwCommand, addToUserRules } from '../../shared/layers/ufw/ufwCommands.ts';
import { writeUfwDefaults } from '../../shared/layers/ufw/ufwConfig.ts';
import { UFW_DEFAULTS_PATH, UFW_USER_RULES } from '../../shared/layers/ufw/ufwShippedFiles.ts';
import { foldScenario } from './layerScenarioHost.ts';
import { dhcpToHost, forwardDecision, guestPacket, hookDecision } from './layerScenarioEval.ts';
import { layerEvent, scenarioLab, ufwLayer, type Mode } from './layerScenarioLabs.ts';

function ufwLab(o: { libvirt: '9.0' | '11.3'; mode?: Mode; files?: Record<string, string>; ufwAfterLibvirt?: boolean }): Lab {
  const ufw = layerEvent('ufw', 'layer-start', 'ufw', o.ufwAfterLibvirt ? 'later: ufw restarted' : 'boot: ufw.service');
  return scenarioLab({
    mode: o.mode ?? 'nat',
    libvirtVersion: o.libvirt,
    libvirtBackend: o.libvirt === '11.3' ? 'nftables' : 'iptables',
    layers: [ufwLayer(o.files ?? {})],
    events: o.ufwAfterLibvirt ? ['libvirtd-start', 'net-start', ufw] : [ufw, 'libvirtd-start', 'net-start'],
  });
}

function userRules(...commands: string[]): string {
  let text: string | undefined;
  for (const c of commands) {
    const r = readUfwCommand(c);
    if (r.kind !== 'rules') throw new Error(`${c}: ${JSON.stringify(r)}`);
    text = addToUserRules(text, r);
  }
  return text ?? '';
}

describe('ufw scenarios (firewall-layers.md §4 e)', () => {
  it('U1 libvirt iptables backend, nat: libvirt\'s accept (inserted above ufw\'s appended chains) decides', () => {
    const host = foldScenario(ufwLab({ libvirt: '9.0' }));
    expect(host.failures).toEqual([]);
    const d = forwardDecision(host.state, guestPacket('tcp443', 'internet'));
    expect(d.verdict).toEqual({ kind: 'accept' });
    expect(d.decidedBy?.provenance?.layer).toBe('libvirt');
  });

  it('U2 libvirt nft backend, nat, static IP: ping accepted by before.rules\' FORWARD echo-request rule, TCP dropped by the forward policy', () => {
    const host = foldScenario(ufwLab({ libvirt: '11.3' }));
    const ping = forwardDecision(host.state, guestPacket('ping'));
    expect(ping.verdict).toEqual({ kind: 'accept' });
    expect(ping.acceptedBy.find((r) => r.provenance?.layer === 'ufw')).toMatchObject({ chain: 'ufw-before-forward', provenance: { file: '/etc/ufw/before.rules', line: 43 } });
    const tcp = forwardDecision(host.state, guestPacket('tcp443'));
    expect(tcp.verdict).toEqual({ kind: 'drop' });
    expect(tcp.decidedBy).toMatchObject({ chain: 'FORWARD', position: 0 });
    const fwd = host.state.iptables.nft.ipv4.tables.find((t) => t.name === 'filter')?.chains.find((c) => c.name === 'FORWARD');
    expect(fwd?.policyProvenance?.reason).toBe('/etc/default/ufw: DEFAULT_FORWARD_POLICY="DROP": built-in policy');
  });

  it('U3 U2 with DHCP: the guest\'s DHCP request to the host is dropped by ufw INPUT (after.rules skip-to-policy), so it gets no lease', () => {
    const host = foldScenario(ufwLab({ libvirt: '11.3' }));
    const d = hookDecision(host.state, 'input', dhcpToHost());
    expect(d.verdict).toEqual({ kind: 'drop' });
    expect(d.decidedBy).toMatchObject({ chain: 'ufw-skip-to-policy-input', provenance: { layer: 'ufw', reason: '/etc/default/ufw: DEFAULT_INPUT_POLICY="DROP": skip-to-policy' } });
  });

  it('U4 U2 + `ufw route allow in on virbr3 out on eth1` + DHCP/DNS allowed in on virbr3: the user rules decide', () => {
    const files = { [UFW_USER_RULES]: userRules('ufw route allow in on virbr3 out on eth1', 'ufw allow in on virbr3 to any port 67 proto udp', 'ufw allow in on virbr3 to any port 53') };
    const host = foldScenario(ufwLab({ libvirt: '11.3', files }));
    const tcp = forwardDecision(host.state, guestPacket('tcp443', 'internet'));
    expect(tcp.verdict).toEqual({ kind: 'accept' });
    expect(tcp.acceptedBy.find((r) => r.provenance?.layer === 'ufw')).toMatchObject({ chain: 'ufw-user-forward', text: '-A ufw-user-forward -i virbr3 -o eth1 -j ACCEPT', provenance: { file: '/etc/ufw/user.rules' } });
    const dhcp = hookDecision(host.state, 'input', dhcpToHost());
    expect(dhcp.verdict).toEqual({ kind: 'accept' });
  });

  it('U5 U2 with DEFAULT_FORWARD_POLICY="REJECT": TCP rejected with port-unreachable by ufw-reject-forward, ping still accepted', () => {
    const host = foldScenario(ufwLab({ libvirt: '11.3', files: { [UFW_DEFAULTS_PATH]: writeUfwDefaults(undefined, { DEFAULT_FORWARD_POLICY: 'REJECT' }) } }));
    const tcp = forwardDecision(host.state, guestPacket('tcp443'));
    expect(tcp.verdict).toMatchObject({ kind: 'reject', with: { kind: 'icmp', code: 3 } });
    expect(tcp.decidedBy).toMatchObject({ chain: 'ufw-reject-forward', provenance: { layer: 'ufw' } });
    expect(forwardDecision(host.state, guestPacket('ping')).verdict).toEqual({ kind: 'accept' });
  });

  it('U6 MANAGE_BUILTINS=yes, ufw restarted after libvirt, isolated: libvirt\'s jumps are flushed, ufw decides — ping accepted, TCP dropped (derived)', () => {
    const host = foldScenario(ufwLab({ libvirt: '9.0', mode: 'isolated', ufwAfterLibvirt: true, files: { [UFW_DEFAULTS_PATH]: writeUfwDefaults(undefined, { MANAGE_BUILTINS: 'yes' }) } }));
    const ping = forwardDecision(host.state, guestPacket('ping'));
    expect(ping.verdict).toEqual({ kind: 'accept' });
    expect(ping.acceptedBy.find((r) => r.provenance?.file === '/etc/ufw/before.rules')?.chain).toBe('ufw-before-forward');
    const tcp = forwardDecision(host.state, guestPacket('tcp443'));
    expect(tcp.verdict).toEqual({ kind: 'drop' });
    expect(tcp.decidedBy).toMatchObject({ chain: 'FORWARD', position: 0 });
  });
});
