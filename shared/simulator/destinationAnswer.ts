// What the destination's own stack does with the request once it is delivered
// locally: answer it (echo reply, SYN-ACK, a UDP reply), refuse it (a closed
// TCP port answers RST → "Connection refused"; a closed UDP port answers ICMP
// port unreachable from the address the datagram was sent to), or — a host that
// does not answer ping — stay silent.

import { decidedByKernel } from './decidedBy.ts';
import type { FlowRun } from './flowEngine.ts';
import { formatIpv4 } from './ipv4.ts';
import type { SimPacket } from './simPacket.ts';
import type { Listens, NodeInterface, SimNode } from './world.ts';

export function listensOn(l: Listens, proto: 'tcp' | 'udp', port: number, dst: number): boolean {
  const key = `${proto}/${port}`;
  const bound = l.boundTo?.get(key);
  if (bound) return bound.has(dst);
  if (l.allPorts) return true;
  return (proto === 'tcp' ? l.tcp : l.udp).has(port);
}

export function answerAt(run: FlowRun, node: SimNode, _iface: NodeInterface | null, p: SimPacket): void {
  const l = node.listens;
  if (p.proto === 'icmp') {
    if (!l.echo) {
      run.fail('not-listening', decidedByKernel(`${node.label} does not answer ping`, l.source), node, 'answer', p, `${node.label} ignores echo requests`);
      return;
    }
    const reply: SimPacket = { kind: 'answer', src: p.dst, dst: p.src, proto: 'icmp', sport: p.dport, dport: p.sport, icmpType: 0, icmpCode: 0, direction: 'reply' };
    run.step(node, 'reply', 'answer', 'pass', `${node.label} answers the echo request`, reply);
    run.sendLocal(node, reply, false);
    return;
  }
  const service = `${p.proto}/${p.dport}`;
  if (p.broadcast && p.proto === 'udp' && p.dport === 67 && _iface) {
    // A DHCPDISCOVER: dnsmasq on this bridge offers the lease (unicast to the offered address, dnsmasq's
    // default for clients that do not set the broadcast flag). The offered address is the guest's own.
    const bound = l.boundTo?.get('udp/67');
    const serves = bound ? _iface.addresses.some((a) => bound.has(a.address)) : l.udp.has(67);
    if (serves && _iface.addresses.length > 0 && run.guest.interfaces[0]?.addresses[0]) {
      const offer: SimPacket = { kind: 'answer', src: _iface.addresses[0].address, dst: run.guest.interfaces[0].addresses[0].address, proto: 'udp', sport: 67, dport: 68, direction: 'reply' };
      run.step(node, 'reply', 'answer', 'pass', `dnsmasq on ${_iface.name} offers ${formatIpv4(offer.dst)}`, offer);
      run.sendLocal(node, offer, false);
      return;
    }
    run.fail('no-dhcp-lease', decidedByKernel('no DHCP server on this bridge', 'the network has no DHCP range'), node, 'answer', p, `no DHCP server answers on ${_iface.name}`);
    return;
  }
  if (listensOn(l, p.proto, p.dport, p.dst)) {
    const reply: SimPacket = { kind: 'answer', src: p.dst, dst: p.src, proto: p.proto, sport: p.dport, dport: p.sport, direction: 'reply' };
    run.step(node, 'reply', 'answer', 'pass', `${node.label} answers on ${service}`, reply);
    run.sendLocal(node, reply, false);
    return;
  }
  const why = `${node.label} does not listen on ${service} at ${formatIpv4(p.dst)}`;
  run.fail('not-listening', decidedByKernel(`nothing listens on ${service}`, `${why} (${l.source})`), node, 'answer', p, why);
  if (p.proto === 'tcp') {
    // tcp_v4_send_reset: RST from the address the SYN was sent to.
    const rst: SimPacket = { kind: 'reset', src: p.dst, dst: p.src, proto: 'tcp', sport: p.dport, dport: p.sport, direction: 'reply' };
    run.step(node, 'reply', 'answer', 'reject', `${node.label} answers RST (port closed)`, rst);
    run.sendLocal(node, rst, false);
  } else {
    // The route to a local address is local: icmp_send uses the datagram's destination as source.
    run.sendIcmpError(node, p, 3, 3, p.dst);
  }
}
