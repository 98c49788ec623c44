// Real libvirt 9.0 (this machine's Debian 12 packages) against the generator
// on 60 seeded network sets: see libvirtGeneratorComparison.ts for what is
// run and compared. VIRTWALL_SEED / VIRTWALL_SETS vary the sample.

import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';
import { compareGeneratorWithRealLibvirt } from './libvirtGeneratorComparison.ts';

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

describe.skipIf(reason !== null)(`real libvirt 9.0 vs the generator (${reason ?? `${SETS} sets, seed ${SEED}`})`, () => {
  it('iptables-save, ip6tables-save and the command list agree after every set', () => {
    compareGeneratorWithRealLibvirt({ tool, version: '9.0', backend: 'iptables', iptablesVersion: '1.8.9', seed: SEED, sets: SETS });
  });
});
