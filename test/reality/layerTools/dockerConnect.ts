// A real connection to a published port, next to what the model's verdict
// path says about it: a peer in its own network namespace (veth vwpeer0
// 192.168.77.1 on the host side, the peer 192.168.77.2) connects to the
// host's 192.168.77.1:8080; inside container c1 (its network namespace,
// entered with nsenter; python3 from the chroot) a one-shot listener on port
// 80 answers with the address it sees the connection coming from. Through
// Docker's DNAT the container sees the peer itself; through docker-proxy (the
// userland proxy) or a MASQUERADE it would see 172.17.0.1. Everything the
// step starts (the peer's holder process, the listener, the veth) is ended or
// removed by pid / name in its trap.

import { compileHost } from '../../../shared/netfilter/eval/compileHost.ts';
import { evaluateHook } from '../../../shared/netfilter/eval/evaluateHook.ts';
import { outcomeLeaves, type HookLeaf } from '../../../shared/netfilter/eval/hookResult.ts';
import type { Packet } from '../../../shared/netfilter/eval/packet.ts';
import type { NetfilterState } from '../../../shared/netfilter/netfilterState.ts';

export const PEER = { host: '192.168.77.1', peer: '192.168.77.2', port: 8080 };

/** The sh step: peer → host:8080, prints what the container's listener answered. */
export const CONNECT_SCRIPT = `set -u
D=/tmp/vwd
CPID=$(docker -H "unix://$D/docker.sock" inspect -f '{{.State.Pid}}' c1) || exit 20
unshare -n sleep 60 & PEER=$!
LIS=""
cleanup() { kill "$PEER" 2>/dev/null; [ -n "$LIS" ] && kill "$LIS" 2>/dev/null; ip link del vwpeer0 2>/dev/null; true; }
trap cleanup EXIT
sleep 0.3
ip link add vwpeer0 type veth peer name vwpeer1 && ip link set vwpeer1 netns "$PEER" || exit 21
ip addr add ${PEER.host}/24 dev vwpeer0 && ip link set vwpeer0 up || exit 22
nsenter -t "$PEER" -n sh -c 'ip link set lo up && ip addr add ${PEER.peer}/24 dev vwpeer1 && ip link set vwpeer1 up && ip route add default via ${PEER.host}' || exit 23
nsenter -t "$CPID" -n python3 -c '
import socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("0.0.0.0", 80)); s.listen(1); s.settimeout(20)
c, a = s.accept(); c.sendall(("container c1 saw " + a[0] + "\\n").encode()); c.close()
' & LIS=$!
sleep 1
nsenter -t "$PEER" -n python3 -c '
import socket
s = socket.create_connection(("${PEER.host}", ${PEER.port}), timeout=10); print(s.recv(100).decode().strip())
' || exit 24
`;

function finals(state: NetfilterState, hook: 'prerouting' | 'forward' | 'postrouting', packet: Packet): HookLeaf[] {
  const host = compileHost(state, {
    context: {
      interfaces: [
        { name: 'lo', addresses: ['127.0.0.1/8'], kind: 'loopback' },
        { name: 'vwpeer0', addresses: [`${PEER.host}/24`] },
        { name: 'docker0', addresses: ['172.17.0.1/16'], kind: 'bridge' },
      ],
      brNetfilter: false,
    },
  });
  const leaves = outcomeLeaves(evaluateHook(host, hook, packet).outcome);
  const f = leaves.filter((l): l is HookLeaf => l.kind === 'final');
  if (f.length !== 1 || leaves.length !== 1) throw new Error(`${hook}: not one decided outcome`);
  return f;
}

/**
 * What the model's rules say the container's listener will print: the DNAT at
 * PREROUTING, FORWARD's verdict for the DNAT'd packet and whether POSTROUTING
 * masquerades it ("no answer" when either drops it or nothing DNATs it).
 */
export function modelConnectOutcome(state: NetfilterState): string {
  const base = { family: 'ipv4' as const, src: PEER.peer, proto: 'tcp', sport: 40000, tcpFlags: ['SYN' as const], ctState: 'NEW' as const, pktType: 'unicast' as const, length: 60 };
  const [pre] = finals(state, 'prerouting', { ...base, iif: 'vwpeer0', dst: PEER.host, dport: PEER.port, ctStatus: [] });
  if (pre.verdict.kind !== 'accept' || pre.nat?.type !== 'dnat' || !pre.nat.address) return 'no answer (not DNAT\'d)';
  const to = { ...base, iif: 'vwpeer0', oif: 'docker0', dst: pre.nat.address, dport: Number(pre.nat.ports ?? PEER.port), ctStatus: ['DNAT' as const] };
  const [fwd] = finals(state, 'forward', to);
  if (fwd.verdict.kind !== 'accept') return `no answer (FORWARD ${fwd.verdict.kind})`;
  const [post] = finals(state, 'postrouting', to);
  const seen = post.nat?.type === 'masquerade' ? '172.17.0.1' : PEER.peer;
  return `container c1 saw ${seen}`;
}
