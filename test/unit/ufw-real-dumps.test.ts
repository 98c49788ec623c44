// What real ufw 0.36.2 left in the kernel (dumps captured by
// test/reality/ufw-real.test.ts, see test/fixtures/layers/ufw-0.36.2/notes.txt)
// is what the model's ufw driver produces for the same steps — pinned here so
// the findings hold without root: MANAGE_BUILTINS=yes deletes libvirt's chains
// and nat rules, IPV6=no replaces the IPv6 filter table, a disable leaves the
// empty primary chains and their jumps (so a reload does not move them below
// rules added meanwhile), LOG rules follow the default policies and LOGLEVEL.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UFW_FIXTURES } from '../fixtures/fixturePaths.ts';
import { iptablesDifferences } from '../reality/layerTools/compareIptables.ts';
import { UFW_SCENARIOS, modelSteps } from '../reality/layerTools/ufwScenarios.ts';

const DUMPS: { file: string; what: string }[] = [
  { file: 'manage-builtins-reject.legacy.2-enable.ipv4.save', what: "MANAGE_BUILTINS=yes: libvirt's LIBVIRT_FWO chain, its jump and the nat MASQUERADE are gone; forward REJECT" },
  { file: 'manage-builtins-reject.legacy.4-disable.ipv4.save', what: 'MANAGE_BUILTINS=yes disable: every filter chain deleted, policies ACCEPT' },
  { file: 'ipv6-no.legacy.2-enable.ipv6.save', what: "IPV6=no: the IPv6 filter table is only loopback, libvirt's IPv6 rule is gone, policies DROP" },
  { file: 'shipped.legacy.2-disable.ipv4.save', what: 'disable: the empty primary chains and their jumps stay' },
  { file: 'shipped.legacy.0-enable.ipv6.save', what: 'shipped before6.rules of 0.36 (RFC 4890 ICMPv6, mDNS, SSDP)' },
  { file: 'rules-forward-accept.legacy.1-enable.ipv4.save', what: 'DEFAULT_FORWARD_POLICY=ACCEPT: no LOG in ufw-after-logging-forward; user rules as ufw writes them' },
  { file: 'rules-forward-accept.nft.1-enable.ipv4.save', what: 'the same through iptables-nft' },
  { file: 'running-foreign-medium.legacy.3-reload.ipv4.save', what: "reload: ufw's jumps stay above a FORWARD rule appended while it ran; limit rules with recent's defaults; LOGLEVEL=medium audit rules" },
];

describe('real ufw 0.36.2 dumps equal the model', () => {
  it.each(DUMPS)('$file: $what', ({ file }) => {
    const [slug, flavour, step, family] = file.replace(/\.save$/, '').split('.') as [string, 'nft' | 'legacy', string, 'ipv4' | 'ipv6'];
    const scenario = UFW_SCENARIOS.find((s) => s.slug === slug);
    if (!scenario) throw new Error(`no scenario ${slug}`);
    const index = Number(step.split('-')[0]);
    const model = modelSteps(scenario, flavour)[index];
    expect(model.refused).toEqual([]);
    const real = readFileSync(join(UFW_FIXTURES, 'dumps', file), 'utf8');
    expect(iptablesDifferences(family, real, model.iptables[family], flavour)).toEqual([]);
  });
});
