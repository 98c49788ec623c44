// Real libvirt 11.3 (Debian 13 packages in a debootstrap chroot, made by
// scripts/libvirt11-root.sh; .ci/run makes it) against the generator, with
// both firewall backends, on seeded network sets: see
// libvirtGeneratorComparison.ts for what is run and compared.
// VIRTWALL_LIBVIRT11_ROOT names the chroot; VIRTWALL_SEED / VIRTWALL_SETS vary the sample.

import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';
import { compareGeneratorWithRealLibvirt } from './libvirtGeneratorComparison.ts';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const tool = process.env.VIRTWALL_LIBVIRT_CAPTURE ?? resolve(repo, 'test', 'reality', 'tools', 'libvirt-capture.sh');
const root = process.env.VIRTWALL_LIBVIRT11_ROOT ?? '/var/tmp/virtwall-libvirt11-root';
const SEED = Number(process.env.VIRTWALL_SEED ?? 20261129);
const SETS = Number(process.env.VIRTWALL_SETS ?? 40);

function missing(): string | null {
  if (process.getuid?.() !== 0) return 'needs root (network and mount namespaces)';
  if (!existsSync(tool)) return `capture tool not found at ${tool} (set VIRTWALL_LIBVIRT_CAPTURE)`;
  for (const bin of ['usr/sbin/libvirtd', 'usr/bin/virsh', 'usr/sbin/dnsmasq', 'usr/sbin/nft', 'usr/sbin/iptables-save']) {
    if (!existsSync(join(root, bin))) return `no libvirt 11.3 chroot at ${root} (${bin} missing; make it with scripts/libvirt11-root.sh)`;
  }
  return null;
}

const reason = missing();
if (reason && process.env.CI === 'true') throw new Error(`libvirt 11.3 generator reality test cannot run in CI: ${reason}`);

describe.skipIf(reason !== null)(`real libvirt 11.3 vs the generator (${reason ?? `${SETS} sets, seed ${SEED}`})`, () => {
  for (const backend of ['iptables', 'nftables'] as const) {
    it(`firewall_backend = ${backend}: the dumps and the command list agree after every set`, () => {
      compareGeneratorWithRealLibvirt({ tool, version: '11.3', backend, root, iptablesVersion: '1.8.11', seed: SEED, sets: SETS });
    });
  }
});
