import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSnapshot } from './checkSnapshot.ts';
import { COLLECT_SCRIPT } from './collectScript.ts';
import { readSnapshot } from './snapshotFiles.ts';
import { snapshotToLab } from './snapshotLab.ts';

// A snapshot the collect script took inside a namespace lab: guest 192.168.10.20 on br3
// (192.168.10.1/24, port vnet0), uplink eth1 192.168.90.10/24, default via 192.168.90.1,
// iptables-nft FORWARD: -i br3 -o br3 ACCEPT, -o br3 REJECT, -i br3 REJECT. The kernel answered
// the ping with "From 192.168.10.1 icmp_seq=1 Destination Port Unreachable".
const dir = join(import.meta.dirname, 'testdata/isolated-netns');
const files = Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));

describe('virtwall check on a snapshot', () => {
  it('predicts what the kernel answered, decided by the iptables-nft rule (not twice via nft list ruleset)', () => {
    const v = checkSnapshot(files, { from: '192.168.10.20', to: '192.168.90.1', service: 'icmp' });
    expect(v.guestSees).toBe('error:Destination Port Unreachable from 192.168.10.1');
    expect(v.decidedBy).toMatchObject({ ruleset: 'iptables-nft (ipv4)', table: 'filter', chain: 'FORWARD', position: 3, rule: '-A FORWARD -i br3 -j REJECT --reject-with icmp-port-unreachable' });
  });

  it('the host itself: ping answered, a closed TCP port refused with a RST from the probed address', () => {
    expect(checkSnapshot(files, { from: '192.168.10.20', to: '192.168.10.1', service: 'icmp' }).guestSees).toBe('reply');
    expect(checkSnapshot(files, { from: '192.168.10.20', to: '192.168.90.10', service: 'tcp/22' }).guestSees).toBe('error:Connection refused (TCP RST from 192.168.90.10)');
  });

  it('without the REJECTs the upstream answers; --no-return-route turns that into a timeout', () => {
    const open = { ...files, 'iptables-save.txt': '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n', 'nft-ruleset.txt': '' };
    expect(checkSnapshot(open, { from: '192.168.10.20', to: '192.168.90.1', service: 'tcp/443' }).guestSees).toBe('reply');
    const v = checkSnapshot(open, { from: '192.168.10.20', to: '192.168.90.1', service: 'tcp/443', returnRoute: false });
    expect(v.guestSees).toBe('timeout');
    expect(v.cause).toBe('no-return-route');
    expect(v.assumptions.join(' ')).toMatch(/no route back to 192\.168\.10\.0\/24 \(--no-return-route\)/);
  });

  it('a --from outside every bridge is a clear error naming the bridges', () => {
    expect(() => checkSnapshot(files, { from: '10.1.1.1', to: '192.168.90.1', service: 'icmp' })).toThrow(/--from 10\.1\.1\.1 is in no bridge's subnet \(bridges: br3 192\.168\.10\.1\/24\)/);
  });

  it('missing files are allowed and listed', () => {
    const partial = { ...files };
    delete partial['ss-listen.txt'];
    delete partial['nft-ruleset.txt'];
    const data = readSnapshot(partial);
    expect(data.missing).toContain('ss-listen.txt: not in the snapshot (what the host listens on is unknown)');
    const v = checkSnapshot(partial, { from: '192.168.10.20', to: '192.168.90.1', service: 'icmp' });
    expect(v.notes.some((n) => n.includes('ss-listen.txt'))).toBe(true);
  });

  it('imported as a variant "as found": the dumps are kept as they are, interfaces and bridge ports read', () => {
    const lab = snapshotToLab(files);
    expect(lab.snapshot?.files['iptables-save.txt']).toBe(files['iptables-save.txt']);
    expect(lab.host.interfaces.find((i) => i.name === 'br3')).toMatchObject({ kind: 'bridge', addresses: ['192.168.10.1/24'], ports: ['vnet0'] });
  });
});

function hasShellcheck(): boolean {
  try {
    execFileSync('shellcheck', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('the collect script', () => {
  it('is POSIX sh that only writes into its output folder', () => {
    expect(COLLECT_SCRIPT.startsWith('#!/bin/sh\n')).toBe(true);
    for (const f of ['iptables-save.txt', 'ip6tables-save.txt', 'nft-ruleset.txt', 'ip-addr.json', 'ip-route.json', 'ip-link.json', 'sysctl.txt', 'versions.txt', 'networks/$name.xml']) expect(COLLECT_SCRIPT).toContain(f);
    // Every redirection goes into "$out/…" (or /dev/null, or stderr).
    const writes = [...COLLECT_SCRIPT.matchAll(/>>?\s*("?[^\s;|&)]+)/g)].map((m) => m[1]).filter((w) => !w.startsWith('&'));
    expect(writes.filter((w) => !w.startsWith('"$out/') && w !== '"$missing"' && w !== '/dev/null')).toEqual([]);
  });

  it.skipIf(!hasShellcheck())('is shellcheck-clean', () => {
    expect(() => execFileSync('shellcheck', ['-s', 'sh', '-'], { input: COLLECT_SCRIPT })).not.toThrow();
  });
});
