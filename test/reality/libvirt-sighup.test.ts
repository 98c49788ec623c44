// SIGHUP to a real libvirtd 9.0 vs the timeline fold. The fold's claims (from
// libvirt's source, firewall-layers.md §0 fact 7): a HUP removes and re-adds
// every active network's rules, but does not set up libvirt's chains again —
// after `iptables -F` the rules come back without the jumps from
// INPUT/FORWARD/OUTPUT; after -F and -X of every table re-adding fails. Each
// real dump must be one of the outcomes the fold reports (the order between
// networks on a reload is libvirt's hash-table order).

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultLab } from '../../shared/lab/defaultLab.ts';
import { sequentialIds } from '../../shared/lab/labIds.ts';
import type { TimelineEvent } from '../../shared/lab/labModel.ts';
import type { NetfilterState } from '../../shared/netfilter/netfilterState.ts';
import { printIptablesSave, withIptablesNftTableOrder } from '../../shared/netfilter/iptables/printIptablesSave.ts';
import { foldTimeline } from '../../shared/layers/timeline/foldTimeline.ts';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const tool = process.env.VIRTWALL_LIBVIRT_CAPTURE ?? resolve(repo, 'test', 'reality', 'tools', 'libvirt-capture.sh');

function missing(): string | null {
  if (process.getuid?.() !== 0) return 'needs root (network and mount namespaces)';
  if (!existsSync(tool)) return `capture tool not found at ${tool} (set VIRTWALL_LIBVIRT_CAPTURE)`;
  for (const bin of ['/usr/sbin/libvirtd', '/usr/bin/virsh', '/usr/sbin/dnsmasq']) if (!existsSync(bin)) return `${bin} not installed`;
  return null;
}
const reason = missing();
if (reason && process.env.CI === 'true') throw new Error(`libvirt SIGHUP reality test cannot run in CI: ${reason}`);

const NETS = [
  { id: 'vwhup1', xml: "<network><name>vwhup1</name><forward mode='nat'/><bridge name='vwhbr1'/><ip address='10.91.1.1' prefix='24'><dhcp><range start='10.91.1.10' end='10.91.1.99'/></dhcp></ip></network>\n" },
  { id: 'vwhup2', xml: "<network><name>vwhup2</name><forward mode='route'/><bridge name='vwhbr2'/><ip address='10.91.2.1' prefix='24'/></network>\n" },
];
const HUP = 'sh:kill -HUP $(cat /run/libvirtd.pid)';
const FLUSH_ALL = 'sh:iptables -t filter -F && iptables -t filter -X && iptables -t nat -F && iptables -t nat -X && iptables -t mangle -F && iptables -t mangle -X';

function realDumps(steps: string[]): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'vw-lvhup-'));
  try {
    mkdirSync(join(dir, 'xml'));
    for (const n of NETS) writeFileSync(join(dir, 'xml', `${n.id}.xml`), n.xml);
    mkdirSync('/var/lib/libvirt', { recursive: true });
    execFileSync(tool, ['-O', join(dir, 'out'), '-S', steps.join(';'), join(dir, 'xml')], { encoding: 'utf8', timeout: 300_000, stdio: ['ignore', 'pipe', 'pipe'] });
    const labels = steps.filter((s) => s.startsWith('dump:')).map((s) => s.slice(5));
    return Object.fromEntries(labels.map((l) => [l, readFileSync(join(dir, 'out', l, 'iptables.txt'), 'utf8')]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function foldOutcomes(events: TimelineEvent[]): { outcomes: string[]; failed: string[] } {
  const lab = defaultLab(sequentialIds(), { libvirtVersion: '9.0', iptablesBackend: 'nft' });
  lab.host.interfaces = [{ name: 'lo', kind: 'loopback', addresses: ['127.0.0.1/8'], up: true }];
  lab.networks = NETS.map((n) => ({ id: n.id, xml: n.xml, autostart: false }));
  lab.events = events;
  const host = foldTimeline(lab, { keepAlternativeStates: true });
  const print = (s: NetfilterState) => `${printIptablesSave(withIptablesNftTableOrder(s.iptables.nft.ipv4), { header: { version: '1.8.9', flavour: 'nf_tables' } }).replace(/\n+$/, '')}\n`;
  const states = [host.state, ...host.reloadAlternatives.flatMap((a) => a.alternatives.map((x) => x.state as NetfilterState))];
  return { outcomes: states.map(print), failed: host.eventResults.filter((r) => !r.ok).map((r) => r.eventId) };
}

const base = (): TimelineEvent[] => [
  { id: 'd', kind: 'libvirtd-start', phase: 'boot' },
  ...NETS.map((n): TimelineEvent => ({ id: `s-${n.id}`, kind: 'network-start', networkId: n.id, phase: 'boot' })),
];

describe.skipIf(reason !== null)(`SIGHUP to real libvirt 9.0 vs the fold${reason ? ` (${reason})` : ''}`, () => {
  it('after iptables -F a HUP re-adds the rules but not the jumps; after -F -X of every table it cannot re-add', () => {
    const real = realDumps([...NETS.map((n) => `up:${n.id}`), 'sh:iptables -F', HUP, 'sleep:2', 'dump:flushed', FLUSH_ALL, HUP, 'sleep:2', 'dump:deleted']);

    const flushed = foldOutcomes([...base(), { id: 'f', kind: 'iptables-flush', params: { table: 'filter' }, phase: 'later' }, { id: 'h', kind: 'libvirtd-sighup', phase: 'later' }]);
    expect(flushed.outcomes).toContain(real.flushed);
    expect(real.flushed).not.toContain('-A FORWARD -j LIBVIRT_FWX');
    expect(real.flushed).toContain('-A LIBVIRT_FWI -d 10.91.2.0/24 -o vwhbr2 -j ACCEPT');

    const flushAll = ['filter', 'nat', 'mangle'].map((table): TimelineEvent => ({ id: `x-${table}`, kind: 'iptables-flush', params: { table, deleteChains: true }, phase: 'later' }));
    const deleted = foldOutcomes([...base(), ...flushAll, { id: 'h2', kind: 'libvirtd-sighup', phase: 'later' }]);
    expect(deleted.outcomes).toContain(real.deleted);
    expect(deleted.failed).toEqual(['h2']);
  });
});
