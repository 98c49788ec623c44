// Real libvirt 9.0 (this machine's Debian 12 packages) against the generator
// (shared/layers/libvirt) on 60 seeded network sets of 1–3 networks each:
// modes, dev=, IPv4 prefixes, IPv6 (routed or masqueraded), NAT port and
// address ranges, DHCP or not, start orders. One throwaway libvirtd
// (test/reality/tools/libvirt-capture.sh: own network + mount namespace, network
// driver only) runs every set in turn: define+start the set's networks in
// order, dump, destroy, undefine. The generator's daemon runs the same steps;
// iptables-save and ip6tables-save after each set must be equal byte for byte,
// and so must the full list of firewall commands libvirtd ran. Starts libvirt
// refuses (an empty NAT port range) must be refused with libvirt's message.
// VIRTWALL_SEED / VIRTWALL_SETS vary the sample.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { emptyNetfilterState } from '../../shared/netfilter/netfilterState.ts';
import { printIptablesSave, withIptablesNftTableOrder } from '../../shared/netfilter/iptables/printIptablesSave.ts';
import { labNetworks } from '../../shared/layers/libvirt/labNetworks.ts';
import { LibvirtDaemon } from '../../shared/layers/libvirt/libvirtDaemon.ts';
import { StateHostPort } from '../../shared/layers/libvirt/stateHostPort.ts';
import { networkSets } from './libvirtNetworkSets.ts';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const tool = process.env.VIRTWALL_LIBVIRT_CAPTURE ?? resolve(repo, 'test', 'reality', 'tools', 'libvirt-capture.sh');
const SEED = Number(process.env.VIRTWALL_SEED ?? 20261128);
const SETS = Number(process.env.VIRTWALL_SETS ?? 60);

function missing(): string | null {
  if (process.getuid?.() !== 0) return 'needs root (network and mount namespaces)';
  if (!existsSync(tool)) return `capture tool not found at ${tool} (set VIRTWALL_LIBVIRT_CAPTURE)`;
  for (const bin of ['/usr/sbin/libvirtd', '/usr/bin/virsh', '/usr/sbin/dnsmasq', '/usr/sbin/iptables-save']) if (!existsSync(bin)) return `${bin} not installed`;
  return null;
}

const reason = missing();
if (reason && process.env.CI === 'true') throw new Error(`libvirt generator reality test cannot run in CI: ${reason}`);

/** A dump as the capture writes it: `$(iptables-save)` plus one newline, so an empty dump is "\n". */
const asDumped = (text: string) => `${text.replace(/\n+$/, '')}\n`;

describe.skipIf(reason !== null)(`real libvirt 9.0 vs the generator (${reason ?? `${SETS} sets, seed ${SEED}`})`, () => {
  it('iptables-save, ip6tables-save and the command list agree after every set', () => {
    const sets = networkSets(SEED, SETS);
    const dir = mkdtempSync(join(tmpdir(), 'vw-lvgen-'));
    try {
      const xmlDir = join(dir, 'xml');
      const out = join(dir, 'out');
      mkdirSync(xmlDir);
      const plan: string[] = [];
      sets.forEach((set, i) => {
        for (const n of set) writeFileSync(join(xmlDir, `${n.name}.xml`), n.xml);
        plan.push(...set.map((n) => `up:${n.name}`), `dump:set${i + 1}`, ...set.map((n) => `destroy:${n.name}`), ...set.map((n) => `undefine:${n.name}`));
      });
      // The capture mounts a tmpfs over /var/lib/libvirt, which must exist (libvirt.md §9).
      mkdirSync('/var/lib/libvirt', { recursive: true });
      const transcript = execFileSync(tool, ['-d', 'eth0', '-O', out, '-S', plan.join(';'), xmlDir], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: 540_000, stdio: ['ignore', 'pipe', 'pipe'] });
      // "----- step: X" … "rc=N" (an up: step prints the define's rc, then the start's).
      const steps = new Map<string, { rc: number; output: string }>();
      for (const chunk of transcript.split('----- step: ').slice(1)) {
        const body = chunk.split('===== dump')[0];
        const rcs = [...body.matchAll(/^rc=(\d+)$/gm)].map((m) => Number(m[1]));
        steps.set(body.split('\n')[0], { rc: rcs[rcs.length - 1] ?? -1, output: body });
      }
      expect(steps.size, 'the capture ran every step').toBe(new Set(plan).size);

      const host = new StateHostPort(emptyNetfilterState());
      const daemon = new LibvirtDaemon(host, '9.0', 'iptables');
      daemon.start({ event: 'libvirtd start' });
      const print = (family: 'ipv4' | 'ipv6') => asDumped(printIptablesSave(withIptablesNftTableOrder(host.state.iptables.nft[family]), { header: { version: '1.8.9', flavour: 'nf_tables' } }));
      sets.forEach((set, i) => {
        const infos = labNetworks({ networks: set.map((n) => ({ id: n.name, xml: n.xml, autostart: false })), host: { interfaces: [{ name: 'eth0', kind: 'physical', addresses: [], up: true }] } as never });
        for (const info of infos) {
          const real = steps.get(`up:${info.id}`);
          const started = daemon.startNetwork(info, { event: `net-start ${info.id}` });
          expect(started, `${info.id}:\n${real?.output}\n${host.failures.join('; ')}`).toBe(real?.rc === 0);
          // A refused start: libvirt's own message, word for word.
          if (!started) expect(real?.output).toContain(`error: ${host.failures[host.failures.length - 1]}\n`);
        }
        const label = `set${i + 1}`;
        const context = `${label}:\n${set.map((n) => n.xml).join('\n')}`;
        expect(print('ipv4'), context).toBe(readFileSync(join(out, label, 'iptables.txt'), 'utf8'));
        expect(print('ipv6'), context).toBe(readFileSync(join(out, label, 'ip6tables.txt'), 'utf8'));
        for (const n of set) expect(daemon.destroyNetwork(n.name, { event: `net-destroy ${n.name}` })).toBe(steps.get(`destroy:${n.name}`)?.rc === 0);
      });
      const real = readFileSync(join(out, 'daemon-commands.txt'), 'utf8').split('\n').filter((l) => l !== '' && !l.startsWith('#'));
      expect(host.log.map((l) => l.text)).toEqual(real);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
