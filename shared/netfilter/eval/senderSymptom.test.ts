import { describe, expect, it } from 'vitest';
import { iptRejectWith, nftRejectWith } from './rejectKinds.ts';
import { senderSymptom } from './senderSymptom.ts';

const reject = (w: ReturnType<typeof iptRejectWith>) => ({ kind: 'reject' as const, with: w! });

describe('what the sender sees', () => {
  it("libvirt's REJECT (no --reject-with): ping shows Destination Port Unreachable from the bridge address, TCP is refused", () => {
    const v = reject(iptRejectWith('ipv4', undefined));
    expect(senderSymptom({ probe: 'icmp', family: 'ipv4', verdict: v, errorFrom: '192.168.10.1' }).summary).toBe('From 192.168.10.1 icmp_seq=1 Destination Port Unreachable');
    expect(senderSymptom({ probe: 'tcp', family: 'ipv4', verdict: v, errorFrom: '192.168.10.1' })).toMatchObject({ kind: 'icmp-error', errno: 'ECONNREFUSED', tcp: 'Connection refused', icmp: { type: 3, code: 3, from: '192.168.10.1' } });
  });

  it.each([
    ['icmp-host-prohibited', 'Destination Host Prohibited', 'No route to host'],
    ['icmp-admin-prohibited', 'Packet filtered', 'No route to host'],
    ['icmp-net-prohibited', 'Destination Net Prohibited', 'Network is unreachable'],
    ['icmp-net-unreachable', 'Destination Net Unreachable', 'Network is unreachable'],
    ['icmp-host-unreachable', 'Destination Host Unreachable', 'No route to host'],
    ['icmp-proto-unreachable', 'Destination Protocol Unreachable', 'Protocol not available'],
  ])('%s → ping "%s", TCP "%s"', (name, ping, tcp) => {
    const v = reject(iptRejectWith('ipv4', name));
    expect(senderSymptom({ probe: 'icmp', family: 'ipv4', verdict: v, errorFrom: '10.0.0.1' }).ping).toBe(`From 10.0.0.1 icmp_seq=1 ${ping}`);
    expect(senderSymptom({ probe: 'tcp', family: 'ipv4', verdict: v, errorFrom: '10.0.0.1' }).tcp).toBe(tcp);
  });

  it('tcp-reset: a TCP client is refused; nothing answers other protocols (nf_send_reset) → timeout', () => {
    const v = reject(iptRejectWith('ipv4', 'tcp-reset'));
    expect(senderSymptom({ probe: 'tcp', family: 'ipv4', verdict: v })).toMatchObject({ kind: 'tcp-reset', tcp: 'Connection refused' });
    expect(senderSymptom({ probe: 'icmp', family: 'ipv4', verdict: v }).kind).toBe('timeout');
  });

  it('DROP is a timeout', () => {
    expect(senderSymptom({ probe: 'tcp', family: 'ipv4', verdict: { kind: 'drop' } })).toMatchObject({ kind: 'timeout', tcp: 'Connection timed out' });
    expect(senderSymptom({ probe: 'icmp', family: 'ipv4', verdict: { kind: 'drop' } }).ping).toBe('100% packet loss');
  });

  it('IPv6: ip6tables default and adm-prohibited as ping6 prints them', () => {
    const def = reject(iptRejectWith('ipv6', undefined));
    expect(senderSymptom({ probe: 'icmp', family: 'ipv6', verdict: def, errorFrom: 'fd00:10::1' }).ping).toBe('From fd00:10::1 icmp_seq=1 Destination unreachable: Port unreachable');
    const adm = reject(iptRejectWith('ipv6', 'icmp6-adm-prohibited'));
    expect(senderSymptom({ probe: 'tcp', family: 'ipv6', verdict: adm }).tcp).toBe('Permission denied');
  });

  it('nft: bare reject is port-unreachable; icmpx codes map per family', () => {
    expect(nftRejectWith('ipv4', undefined, undefined)).toMatchObject({ code: 3 });
    expect(nftRejectWith('ipv6', undefined, undefined)).toMatchObject({ code: 4 });
    expect(nftRejectWith('ipv4', 'icmpx', 'admin-prohibited')).toMatchObject({ code: 13 });
    expect(nftRejectWith('ipv6', 'icmpx', 'admin-prohibited')).toMatchObject({ code: 1 });
    expect(nftRejectWith('ipv4', 'icmp', 'type host-prohibited')).toMatchObject({ code: 10 });
    expect(nftRejectWith('ipv6', 'icmp', 'host-prohibited')).toBeNull();
  });
});
