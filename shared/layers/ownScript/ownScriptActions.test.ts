import { describe, expect, it } from 'vitest';
import { SAMPLE_OWN_SCRIPT, OWN_SCRIPT_PATH } from '../../lab/sampleLabFiles.ts';
import type { LayerAction } from '../layerActions.ts';
import { ownScriptActions, type OwnScriptInput } from './ownScriptActions.ts';
import { readIptablesRestore } from './iptablesRestoreFile.ts';

const input = (text: string, over: Partial<OwnScriptInput> = {}): OwnScriptInput => ({ file: '/usr/local/sbin/fw.sh', text, format: 'sh', files: {}, layerLabel: 'own script', ...over });
const summary = (a: LayerAction): string => {
  switch (a.kind) {
    case 'iptables':
      return `${a.family === 'ipv4' ? 'iptables' : 'ip6tables'}${a.backend ? `-${a.backend}` : ''} ${a.args}${a.fallback ? ` || ${a.fallback}` : ''}${a.mayFail ? ' (may fail)' : ''} @${a.provenance.line}`;
    case 'nft':
      return `nft ${a.command} @${a.provenance.line}`;
    case 'sysctl':
      return `sysctl ${a.key}=${a.value} @${a.provenance.line}`;
    case 'signal-libvirtd':
      return `signal ${a.signal}`;
    default:
      return a.kind;
  }
};

describe('own script (sh)', () => {
  it('runs the sample fw.sh: flushes, policies, two FORWARD accepts, each with its line', () => {
    const p = ownScriptActions(input(SAMPLE_OWN_SCRIPT, { file: OWN_SCRIPT_PATH }));
    expect(p.skipped).toEqual([]);
    expect(p.actions.map(summary)).toEqual([
      'iptables -t filter -F @4', 'iptables -t filter -X @5', 'iptables -t nat -F @6', 'iptables -t nat -X @7',
      'iptables -t mangle -F @8', 'iptables -t mangle -X @9', 'iptables -t raw -F @10', 'iptables -t raw -X @11',
      'iptables -P INPUT ACCEPT @12', 'iptables -P FORWARD ACCEPT @13', 'iptables -P OUTPUT ACCEPT @14',
      'iptables -A FORWARD -s 192.168.90.0/24 -d 192.168.10.0/24 -j ACCEPT @16', 'iptables -A FORWARD -s 192.168.10.0/24 -d 192.168.90.0/24 -j ACCEPT @17',
    ]);
    const last = p.actions.at(-1);
    expect(last?.kind === 'iptables' && last.provenance).toMatchObject({ layer: 'own-script', file: OWN_SCRIPT_PATH, line: 17, reason: '/usr/local/sbin/fw.sh:17: iptables -A FORWARD -s 192.168.10.0/24 -d 192.168.90.0/24 -j ACCEPT' });
  });

  it('expands variables, joins continuations, honours || true, and maps sysctl forms', () => {
    const script = [
      '#!/bin/bash',
      'set -e',
      'IPT=/usr/sbin/iptables',
      'LAN="192.168.90.0/24"',
      '$IPT -D FORWARD -j REJECT 2>/dev/null || true',
      '${IPT} -I FORWARD -s $LAN \\',
      '   -j ACCEPT',
      'ip6tables-legacy -P FORWARD DROP; sysctl -w net.ipv4.ip_forward=1',
      'echo 0 > /proc/sys/net/ipv4/conf/virbr3/rp_filter',
      'modprobe br_netfilter',
      'nft add rule inet filter forward iifname "virbr3" accept',
      'systemctl reload libvirtd',
      'iptables -L -n',
      'logger "firewall loaded"',
    ].join('\n');
    const p = ownScriptActions(input(script));
    expect(p.actions.map(summary)).toEqual([
      'iptables -D FORWARD -j REJECT (may fail) @5',
      'iptables -I FORWARD -s 192.168.90.0/24 -j ACCEPT @6',
      'ip6tables-legacy -P FORWARD DROP @8',
      'sysctl net.ipv4.ip_forward=1 @8',
      'sysctl net.ipv4.conf.virbr3.rp_filter=0 @9',
      'sysctl net.bridge.bridge-nf-call-iptables=1 @10',
      'nft add rule inet filter forward iifname virbr3 accept @11',
      'signal sighup',
    ]);
    expect(p.skipped.map((s) => `${s.line}: ${s.reason}`)).toEqual([
      '2: not a firewall command',
      '13: lists or checks rules; no effect on the ruleset',
      '14: not a firewall command',
    ]);
  });

  it('nft lines get the words sh gives nft: quoted blocks and \\; escapes resolved, as nft joins its argv', () => {
    const script = [
      "nft add chain inet admin fwd '{ type filter hook forward priority 0; policy drop; }'",
      'nft add chain inet admin out { type filter hook output priority 0 \\; policy accept \\; }',
      'nft add rule inet admin fwd iifname \'"virbr3"\' accept',
      "nft 'add rule inet admin fwd counter'",
    ].join('\n');
    expect(ownScriptActions(input(script)).actions.map(summary)).toEqual([
      'nft add chain inet admin fwd { type filter hook forward priority 0; policy drop; } @1',
      'nft add chain inet admin out { type filter hook output priority 0 ; policy accept ; } @2',
      'nft add rule inet admin fwd iifname "virbr3" accept @3',
      'nft add rule inet admin fwd counter @4',
    ]);
  });

  it('lists control flow as skipped and warns that the commands inside were assumed to run', () => {
    const p = ownScriptActions(input('if [ -x /sbin/iptables ]; then\n  iptables -F\nfi\n'));
    expect(p.skipped.map((s) => s.line)).toEqual([1, 1, 3]);
    expect(p.actions[0]).toMatchObject({ kind: 'note', severity: 'warning', text: '/usr/local/sbin/fw.sh: lines 2 are inside shell control flow; virtwall runs them once, unconditionally' });
    expect(p.actions.map(summary).slice(1)).toEqual(['iptables -F @2']);
  });

  it('loads iptables-restore files that belong to the layer, and says so when one does not', () => {
    const rules = '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\n:MINE - [0:0]\n-A FORWARD -j MINE\nCOMMIT\n';
    const p = ownScriptActions(input('iptables-restore < /etc/iptables/rules.v4\nip6tables-restore -n /etc/iptables/rules.v6\n', { files: { '/etc/iptables/rules.v4': rules } }));
    expect(p.actions.map(summary)).toEqual([
      'iptables -t filter -F @1', 'iptables -t filter -X @1', 'iptables -t filter -P INPUT ACCEPT @2', 'iptables -t filter -P FORWARD DROP @3',
      'iptables -t filter -N MINE @4', 'iptables -t filter -A FORWARD -j MINE @5',
    ]);
    expect(p.skipped).toEqual([{ line: 2, text: 'ip6tables-restore -n /etc/iptables/rules.v6', reason: 'reads /etc/iptables/rules.v6, which is not a file of this layer (add it to the layer to model it)' }]);
  });
});

describe('iptables-restore files', () => {
  it('with --noflush declares chains as create-or-flush and keeps other rules', () => {
    const r = readIptablesRestore('*filter\n:ufw-before-input - [0:0]\n-A ufw-before-input -i lo -j ACCEPT\nCOMMIT\n', { noflush: true });
    expect(r.steps).toMatchObject([
      { line: 2, args: '-t filter -N ufw-before-input', fallback: '-t filter -F ufw-before-input' },
      { line: 3, args: '-t filter -A ufw-before-input -i lo -j ACCEPT' },
    ]);
  });
  it('names lines outside a table and a missing COMMIT', () => {
    const r = readIptablesRestore('-A INPUT -j ACCEPT\n*nat\n-A POSTROUTING -j MASQUERADE\n', { noflush: false });
    expect(r.errors.map((e) => `${e.line}: ${e.reason}`)).toEqual(['1: line outside a table (no *filter/*nat/… before it)', '2: table nat has no COMMIT: iptables-restore would not apply it']);
  });
});

describe('own script (nft file)', () => {
  it('passes an nft -f file through whole, with its path', () => {
    const p = ownScriptActions(input('table inet f {\n}\n', { format: 'nft', file: '/etc/nftables.conf' }));
    expect(p.actions).toEqual([{ kind: 'nft-script', text: 'table inet f {\n}\n', file: '/etc/nftables.conf', firstLine: 1, provenance: { layer: 'own-script', layerLabel: 'own script', file: '/etc/nftables.conf' } }]);
  });
});
