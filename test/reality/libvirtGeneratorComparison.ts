// Real libvirt against the generator (shared/layers/libvirt) on seeded network
// sets of 1–3 networks each: modes, dev=, IPv4 prefixes, IPv6 (routed or
// masqueraded), NAT port and address ranges, DHCP or not, start orders. One
// throwaway libvirtd (test/reality/tools/libvirt-capture.sh: own network +
// mount namespace, network driver only; with a chroot ROOT for libvirt 11.3)
// runs every set in turn: define+start the set's networks in order, dump,
// destroy, undefine. The generator's daemon runs the same steps; the dumps
// after each set must be equal byte for byte (iptables-save, ip6tables-save
// and, for the nftables backend, nft list ruleset), and so must the full list
// of firewall commands libvirtd ran. Starts libvirt refuses (an empty NAT port
// range) must be refused with libvirt's message.

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { emptyNetfilterState } from '../../shared/netfilter/netfilterState.ts';
import { printIptablesSave, withIptablesNftTableOrder } from '../../shared/netfilter/iptables/printIptablesSave.ts';
import { printNftRuleset } from '../../shared/netfilter/nft/printNftRuleset.ts';
import { labNetworks } from '../../shared/layers/libvirt/labNetworks.ts';
import { LibvirtDaemon } from '../../shared/layers/libvirt/libvirtDaemon.ts';
import { StateHostPort } from '../../shared/layers/libvirt/stateHostPort.ts';
import { networkSets } from './libvirtNetworkSets.ts';

export interface RealLibvirt {
  /** The capture tool (test/reality/tools/libvirt-capture.sh). */
  tool: string;
  version: '9.0' | '11.3';
  backend: 'iptables' | 'nftables';
  /** Chroot holding the libvirt to run (11.3: a Debian 13 debootstrap); none = the system's. */
  root?: string;
  /** The iptables version in the iptables-save header (1.8.9 on Debian 12, 1.8.11 on Debian 13). */
  iptablesVersion: string;
  seed: number;
  sets: number;
}

/** A dump as the capture writes it: `$(command)` plus one newline, so an empty dump is "\n". */
const asDumped = (text: string) => `${text.replace(/\n+$/, '')}\n`;

export function compareGeneratorWithRealLibvirt(real: RealLibvirt): void {
  const sets = networkSets(real.seed, real.sets);
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
    const args = ['-d', 'eth0', '-O', out, '-S', plan.join(';')];
    // -T: kernels without act_csum fail libvirt 11's tc DHCP checksum filter; the shim reports success.
    if (real.root) args.unshift('-T', '-r', real.root);
    if (real.version !== '9.0') args.unshift('-b', real.backend);
    const transcript = execFileSync(real.tool, [...args, xmlDir], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: 540_000, stdio: ['ignore', 'pipe', 'pipe'] });
    // "----- step: X" … "rc=N" (an up: step prints the define's rc, then the start's).
    const steps = new Map<string, { rc: number; output: string }>();
    for (const chunk of transcript.split('----- step: ').slice(1)) {
      const body = chunk.split('===== dump')[0];
      const rcs = [...body.matchAll(/^rc=(\d+)$/gm)].map((m) => Number(m[1]));
      steps.set(body.split('\n')[0], { rc: rcs[rcs.length - 1] ?? -1, output: body });
    }
    expect(steps.size, 'the capture ran every step').toBe(new Set(plan).size);

    const host = new StateHostPort(emptyNetfilterState());
    const daemon = new LibvirtDaemon(host, real.version, real.backend);
    daemon.start({ event: 'libvirtd start' });
    const printIpt = (family: 'ipv4' | 'ipv6') => asDumped(printIptablesSave(withIptablesNftTableOrder(host.state.iptables.nft[family]), { header: { version: real.iptablesVersion, flavour: 'nf_tables' } }));
    sets.forEach((set, i) => {
      const infos = labNetworks({ networks: set.map((n) => ({ id: n.name, xml: n.xml, autostart: false })), host: { interfaces: [{ name: 'eth0', kind: 'physical', addresses: [], up: true }] } as never });
      for (const info of infos) {
        const started = daemon.startNetwork(info, { event: `net-start ${info.id}` });
        const realStep = steps.get(`up:${info.id}`);
        expect(started, `${info.id}:\n${realStep?.output}\n${host.failures.join('; ')}`).toBe(realStep?.rc === 0);
        // A refused start: libvirt's own message, word for word.
        if (!started) expect(realStep?.output).toContain(`error: ${host.failures[host.failures.length - 1]}\n`);
      }
      const label = `set${i + 1}`;
      const context = `${label}:\n${set.map((n) => n.xml).join('\n')}`;
      expect(printIpt('ipv4'), context).toBe(readFileSync(join(out, label, 'iptables.txt'), 'utf8'));
      expect(printIpt('ipv6'), context).toBe(readFileSync(join(out, label, 'ip6tables.txt'), 'utf8'));
      if (real.backend === 'nftables') expect(asDumped(printNftRuleset(host.state.nft)), context).toBe(readFileSync(join(out, label, 'nft.txt'), 'utf8'));
      for (const n of set) expect(daemon.destroyNetwork(n.name, { event: `net-destroy ${n.name}` })).toBe(steps.get(`destroy:${n.name}`)?.rc === 0);
    });
    const commands = readFileSync(join(out, 'daemon-commands.txt'), 'utf8').split('\n').filter((l) => l !== '' && !l.startsWith('#') && !l.startsWith('tc '));
    expect(host.log.map((l) => l.text)).toEqual(commands);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
