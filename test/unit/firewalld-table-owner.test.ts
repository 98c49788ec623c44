// Whether firewalld creates its table `{ flags owner,persist; }` — as real
// firewalld decides it (firewall/core/nftables.py _probe_support_table_owner,
// 2.3.1): from 2.2.0 on, unless NftablesTableOwner=no, and only when the host's
// nftables knows `persist` (≥ 1.1.0); otherwise no flags at all. Debian 12's
// nft 1.0.6 refuses `add table inet firewalld { flags owner,persist; }`.

import { describe, expect, it } from 'vitest';
import { firewalldStartActions } from '../../shared/layers/firewalld/firewalldActions.ts';
import { buildFirewalldSetup } from '../../shared/layers/firewalld/firewalldSetup.ts';

function start(version: string, conf = '', settings: Record<string, string> = {}) {
  const setup = buildFirewalldSetup({ version, files: { '/etc/firewalld/firewalld.conf': `FirewallBackend=nftables\n${conf}` }, settings, libvirtVersion: '', networks: [] });
  const actions = firewalldStartActions(setup, { tablePresent: false, tables: { ipv4: [], ipv6: [] } }, false);
  return {
    table: actions.flatMap((a) => (a.kind === 'nft' && a.command.startsWith('add table') ? [a.command] : [])),
    notes: actions.flatMap((a) => (a.kind === 'note' ? [a.text] : [])),
    problems: setup.problems.map((p) => `${p.line}:${p.column} ${p.message}`),
  };
}

describe('firewalld table ownership (flags owner,persist)', () => {
  it('2.3.1 with an nft that knows persist (Debian 13, nft 1.1.3) owns its table — also when the nft version is not given', () => {
    expect(start('2.3.1', '', { nftables: '1.1.3' }).table).toEqual(['add table inet firewalld { flags owner,persist; }']);
    expect(start('2.3.1').table).toEqual(['add table inet firewalld { flags owner,persist; }']);
  });

  it('2.3.1 on a host with nft 1.0.6: the probe fails, the table has no flags and a note says why', () => {
    const r = start('2.3.1', '', { nftables: '1.0.6' });
    expect(r.table).toEqual(['add table inet firewalld']);
    expect(r.notes.join('\n')).toContain('nftables 1.0.6 on this host has no "persist" table flag');
  });

  it('NftablesTableOwner=no turns it off; anything else but no/false counts as yes', () => {
    expect(start('2.3.1', 'NftablesTableOwner=no\n').table).toEqual(['add table inet firewalld']);
    expect(start('2.3.1', 'NftablesTableOwner=False\n').table).toEqual(['add table inet firewalld']);
    expect(start('2.3.1', 'NftablesTableOwner=yes\n').table).toEqual(['add table inet firewalld { flags owner,persist; }']);
  });

  it('before 2.2.0 there is no table ownership; the key is ignored with a warning', () => {
    expect(start('2.1.0').table).toEqual(['add table inet firewalld']);
    expect(start('1.3.3').table).toEqual(['add table inet firewalld']);
    expect(start('2.1.0', 'NftablesTableOwner=yes\n').problems).toEqual(['2:1 firewalld 2.1.0 does not know NftablesTableOwner (added in 2.2.0): it logs "Invalid option" and ignores it']);
  });
});
