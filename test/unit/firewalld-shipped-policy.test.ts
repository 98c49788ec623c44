// firewalld's shipped policy allow-host-ipv6 is the file Debian's 1.3.3 and
// 2.3.1 packages install (/usr/lib/firewalld/policies/allow-host-ipv6.xml,
// copied from the layer tools chroots), priority -15000 included: it runs
// before every policy of a higher priority (libvirt-to-host's -1, an own -1).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIREWALLD_2_FIXTURES, FIREWALLD_FIXTURES } from '../fixtures/fixturePaths.ts';
import { firewalldStartActions } from '../../shared/layers/firewalld/firewalldActions.ts';
import { buildFirewalldSetup } from '../../shared/layers/firewalld/firewalldSetup.ts';
import { SHIPPED_POLICIES } from '../../shared/layers/firewalld/firewalldShippedFiles.ts';
import { parsePolicyXml } from '../../shared/layers/firewalld/firewalldXml.ts';

describe('shipped policy allow-host-ipv6', () => {
  it('is byte-identical to the file real 1.3.3 and 2.3.1 ship, priority -15000', () => {
    for (const dir of [FIREWALLD_FIXTURES, FIREWALLD_2_FIXTURES]) expect(SHIPPED_POLICIES['allow-host-ipv6']).toBe(readFileSync(join(dir, 'shipped', 'allow-host-ipv6.xml'), 'utf8'));
    expect(parsePolicyXml(SHIPPED_POLICIES['allow-host-ipv6'], 'p.xml', 'allow-host-ipv6').policy?.priority).toBe(-15000);
  });

  it('2.x: its jump comes before a priority -1 policy\'s, although that one sorts first by name', () => {
    const own = '<policy priority="-1">\n  <ingress-zone name="ANY"/>\n  <egress-zone name="HOST"/>\n  <service name="ssh"/>\n</policy>\n';
    const setup = buildFirewalldSetup({ version: '2.3.1', files: { '/etc/firewalld/policies/a-first.xml': own }, settings: { 'interface:eth1': 'public' }, libvirtVersion: '', networks: [] });
    const jumps = firewalldStartActions(setup, { tablePresent: false, tables: { ipv4: [], ipv6: [] } }, false)
      .flatMap((a) => (a.kind === 'nft' && a.command.startsWith('add rule inet firewalld filter_INPUT_POLICIES iifname "eth1"') ? [a.command.replace(/.* jump /, '')] : []));
    expect(jumps.slice(0, 3)).toEqual(['filter_IN_policy_allow-host-ipv6', 'filter_IN_policy_a-first', 'filter_IN_public']);
  });
});
