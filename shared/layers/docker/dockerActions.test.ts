import { describe, expect, it } from 'vitest';
import type { LayerAction } from '../layerActions.ts';
import { parseDaemonJson, writeDaemonJson } from './dockerDaemonJson.ts';
import { dockerStartActions, type DockerEnvironment } from './dockerActions.ts';

const env = (over: Partial<DockerEnvironment> = {}): DockerEnvironment => ({
  version: '27.5.1',
  ipForward: false,
  ipv6Forwarding: false,
  chains: { ipv4: { filter: [], nat: [] }, ipv6: { filter: [], nat: [] } },
  nftTablesPresent: false,
  ...over,
});
const cfg = (json = '{}') => parseDaemonJson(json).config;
const ipv4 = (a: LayerAction[]) => a.flatMap((x) => (x.kind === 'iptables' && x.family === 'ipv4' ? [x.args] : []));

/** Applies -A/-I/-D (best effort) to one chain, to see the final order. */
function chainAfter(actions: LayerAction[], chain: string, initial: string[] = []): string[] {
  const rules = [...initial];
  for (const a of actions) {
    if (a.kind !== 'iptables' || a.family !== 'ipv4' || a.args.startsWith('-t ')) continue;
    const [op, c, ...rest] = a.args.split(' ');
    if (c !== chain) continue;
    const r = rest.join(' ');
    if (op === '-A') rules.push(r);
    if (op === '-I') rules.unshift(r);
    if (op === '-D' && rules.includes(r)) rules.splice(rules.indexOf(r), 1);
  }
  return rules;
}

describe('Docker start', () => {
  it('sets FORWARD DROP only when it flips ip_forward 0→1 (D1 vs D4)', () => {
    const first = dockerStartActions(cfg(), env({ ipForward: false }));
    expect(first.slice(0, 2)).toMatchObject([
      { kind: 'sysctl', key: 'net.ipv4.ip_forward', value: '1' },
      { kind: 'iptables', family: 'ipv4', args: '-P FORWARD DROP' },
    ]);
    const after = dockerStartActions(cfg(), env({ ipForward: true }));
    expect(ipv4(after)).not.toContain('-P FORWARD DROP');
    expect(after.some((a) => a.kind === 'sysctl' && a.key === 'net.ipv4.ip_forward')).toBe(false);
  });

  it('honours ip-forward-no-drop from 28.0 and sets no policy', () => {
    const a = dockerStartActions(cfg('{"ip-forward-no-drop": true}'), env({ version: '28.0.1' }));
    expect(ipv4(a)).not.toContain('-P FORWARD DROP');
  });

  it('before 1.13 never sets the DROP policy', () => {
    expect(ipv4(dockerStartActions(cfg(), env({ version: '1.12.6' })))).not.toContain('-P FORWARD DROP');
  });

  it('< 28.1: DOCKER-USER on top of FORWARD, above rules that were there before (libvirt started first)', () => {
    const a = dockerStartActions(cfg(), env());
    expect(chainAfter(a, 'FORWARD', ['-j LIBVIRT_FWX'])).toEqual([
      '-j DOCKER-USER',
      '-j DOCKER-ISOLATION-STAGE-1',
      '-o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
      '-o docker0 -j DOCKER',
      '-i docker0 ! -o docker0 -j ACCEPT',
      '-i docker0 -o docker0 -j ACCEPT',
      '-j LIBVIRT_FWX',
    ]);
  });

  it('≥ 28.1: DOCKER-USER then DOCKER-FORWARD', () => {
    const a = dockerStartActions(cfg(), env({ version: '28.5.2' }));
    expect(chainAfter(a, 'FORWARD')).toEqual(['-j DOCKER-USER', '-j DOCKER-FORWARD']);
    expect(chainAfter(a, 'DOCKER-FORWARD')).toEqual(['-j DOCKER-CT', '-j DOCKER-INTERNAL', '-j DOCKER-BRIDGE', '-i docker0 -j ACCEPT']);
  });

  it('< 17.06 has no DOCKER-USER', () => {
    expect(ipv4(dockerStartActions(cfg(), env({ version: '17.03.2' }))).some((l) => l.includes('DOCKER-USER'))).toBe(false);
  });

  it('a restart keeps DOCKER-USER and re-inserts the jump at the top', () => {
    const a = dockerStartActions(cfg(), env({ ipForward: true, chains: { ipv4: { filter: ['DOCKER', 'DOCKER-USER', 'DOCKER-ISOLATION-STAGE-1', 'DOCKER-ISOLATION-STAGE-2'], nat: ['DOCKER'] }, ipv6: { filter: [], nat: [] } } }));
    expect(ipv4(a)).not.toContain('-N DOCKER-USER');
    expect(ipv4(a)).not.toContain('-F DOCKER-USER');
    expect(chainAfter(a, 'FORWARD', ['-j LIBVIRT_FWX', '-j DOCKER-USER'])[0]).toBe('-j DOCKER-USER');
  });

  it('masquerades the bip subnet', () => {
    const a = dockerStartActions(cfg('{"bip": "10.99.0.1/24"}'), env());
    expect(a.some((x) => x.kind === 'iptables' && x.args === '-t nat -I POSTROUTING -s 10.99.0.0/24 ! -o docker0 -j MASQUERADE')).toBe(true);
  });

  it('userland-proxy=false: hairpin NAT — masquerade host traffic into docker0 on top, no nat RETURN for docker0 (real 20.10.24 / 26.1.5)', () => {
    const nat = (json: string) => dockerStartActions(cfg(json), env()).flatMap((x) => (x.kind === 'iptables' && x.args.startsWith('-t nat -I') ? [x.args] : []));
    expect(nat('{"userland-proxy": false}')).toEqual(['-t nat -I POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE', '-t nat -I POSTROUTING -o docker0 -m addrtype --src-type LOCAL -j MASQUERADE']);
    expect(nat('{}')).toEqual(['-t nat -I POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE', '-t nat -I DOCKER -i docker0 -j RETURN']);
  });

  it('ipv6 + ip6tables: IPv6 nat for fixed-cidr-v6; ip6tables DOCKER-USER only from 23.0 (absent in real 20.10.24, present in 26.1.5)', () => {
    const v6 = (version: string) => dockerStartActions(cfg('{"ipv6": true, "ip6tables": true, "fixed-cidr-v6": "fd00:d0c::1/64"}'), env({ version })).flatMap((x) => (x.kind === 'iptables' && x.family === 'ipv6' ? [x.args] : []));
    expect(v6('20.10.24')).toContain('-t nat -I POSTROUTING -s fd00:d0c::/64 ! -o docker0 -j MASQUERADE');
    expect(v6('20.10.24')).toContain('-t nat -A OUTPUT ! -d ::1/128 -m addrtype --dst-type LOCAL -j DOCKER');
    expect(v6('20.10.24').some((a) => a.includes('DOCKER-USER'))).toBe(false);
    expect(v6('20.10.24')).toContain('-A DOCKER-ISOLATION-STAGE-1 -j RETURN');
    expect(v6('26.1.5')).toContain('-I FORWARD -j DOCKER-USER');
    expect(parseDaemonJson('{\n  "fixed-cidr-v6": "10.0.0.0/8"\n}').problems).toMatchObject([{ severity: 'error', line: 2, column: 3 }]);
  });

  it('turns bridge-nf-call-iptables on with icc=false, and from 28.0 with userland-proxy=false', () => {
    const on = (json: string, version: string) => dockerStartActions(cfg(json), env({ version })).some((x) => x.kind === 'sysctl' && x.key === 'net.bridge.bridge-nf-call-iptables');
    expect(on('{"icc": false}', '20.10.0')).toBe(true);
    expect(on('{"userland-proxy": false}', '27.5.1')).toBe(false);
    expect(on('{"userland-proxy": false}', '28.0.0')).toBe(true);
    expect(on('{}', '28.5.2')).toBe(false);
  });

  it('IPv6: < 28 sets the ip6tables DROP policy whenever ip6tables is on; ≥ 28 only when it flips forwarding', () => {
    const v6 = (version: string, json = '{}') => dockerStartActions(cfg(json), env({ version })).some((x) => x.kind === 'iptables' && x.family === 'ipv6' && x.args === '-P FORWARD DROP');
    expect(v6('27.5.1')).toBe(true);
    expect(v6('26.1.0')).toBe(false);
    expect(v6('28.0.0')).toBe(false);
    expect(v6('28.0.0', '{"ipv6": true}')).toBe(true);
  });

  it('29 with the nftables backend: own table, no drop policy, no forwarding change; refuses with ip_forward=0', () => {
    const a = dockerStartActions(cfg('{"firewall-backend": "nftables"}'), env({ version: '29.1.0', ipForward: true }));
    expect(a.filter((x) => x.kind === 'iptables' || x.kind === 'sysctl')).toEqual([]);
    expect(a.some((x) => x.kind === 'nft' && x.command === 'add chain ip docker-bridges filter-FORWARD { type filter hook forward priority filter; policy accept; }')).toBe(true);
    const refused = dockerStartActions(cfg('{"firewall-backend": "nftables"}'), env({ version: '29.1.0', ipForward: false }));
    expect(refused).toMatchObject([{ kind: 'note', severity: 'error' }]);
  });
});

describe('daemon.json', () => {
  it('reports bad JSON with line and column', () => {
    const p = parseDaemonJson('{\n  "iptables": false,\n}\n');
    expect(p.problems[0]).toMatchObject({ severity: 'error', line: 3, column: 1 });
  });
  it('reports wrongly typed values at their key', () => {
    const p = parseDaemonJson('{\n  "icc": "no"\n}');
    expect(p.problems).toEqual([{ severity: 'error', file: '/etc/docker/daemon.json', line: 2, column: 3, message: '"icc" must be true or false, not "no"' }]);
  });
  it('keeps unknown keys when writing', () => {
    expect(writeDaemonJson('{"log-driver": "journald"}', { 'ip-forward-no-drop': true })).toBe('{\n  "log-driver": "journald",\n  "ip-forward-no-drop": true\n}\n');
  });
});
