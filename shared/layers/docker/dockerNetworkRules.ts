// iptables rules for user-defined bridge networks and published ports, by
// version band. Every rule's provenance names the commands-file line.
//
// < 28.1 — checked against real 20.10.24 and 26.1.5 (identical; dumps under
// test/fixtures/layers/docker-*/dumps, scenarios networks and ports):
//  - network create: FORWARD gets `-o BR ctstate RELATED,ESTABLISHED ACCEPT`,
//    `-o BR -j DOCKER`, `-i BR ! -o BR ACCEPT` (and with icc `-i BR -o BR
//    ACCEPT`) inserted on top; with enable_icc=false `-i BR -o BR -j DROP` is
//    APPENDED to FORWARD (unlike docker0's, which sits in the 4th place). Then
//    DOCKER-USER and DOCKER-ISOLATION-STAGE-1 are moved back to the top.
//    DOCKER-ISOLATION-STAGE-1/2 get the bridge's rules on top, nat POSTROUTING
//    its MASQUERADE on top, nat DOCKER its `-i BR -j RETURN` on top (neither of
//    the two nat rules with enable_ip_masquerade=false).
//  - --internal: only `-i BR -o BR -j ACCEPT` on top of FORWARD (DROP appended
//    with enable_icc=false) and two DROPs on top of DOCKER-ISOLATION-STAGE-1
//    for packets that enter or leave the subnet; no MASQUERADE, no nat RETURN.
//  - published ports, APPENDED per container: filter
//    DOCKER `-d IP/32 ! -i BR -o BR -p P --dport CPORT ACCEPT`, nat POSTROUTING
//    `-s IP/32 -d IP/32 -p P --dport CPORT MASQUERADE` (a container reaching its
//    own published port), nat DOCKER `[-d HOSTIP/32] ! -i BR -p P --dport
//    HOSTPORT DNAT --to-destination IP:CPORT`. A container that stops (dockerd
//    stop included) takes its port rules away; the network rules stay. The
//    order of one container's ports is random in real dockerd (a Go map: the
//    same `docker run` gave two different orders on 20.10.24); the model keeps
//    the order of the command line — the ports' rules never overlap.
//  - dockerd restart: networks are restored before docker0 is set up again;
//    their FORWARD and MASQUERADE rules are left where they are (added only
//    when missing), the flushed isolation chains and nat DOCKER get theirs
//    again. Real dockerd restores them in the order of their random ids; the
//    model in file order.
//  - userland-proxy=false (hairpin mode): like docker0, `-o BR --src-type LOCAL
//    MASQUERADE` instead of the nat RETURN, and DNAT without `! -i BR`
//    (scenario ports-no-proxy).
//
// ≥ 28.1 — from moby source (integration/network/bridge/iptablesdoc, the
// DOCKER-FORWARD layout), not checked against a real dockerd: DOCKER-CT,
// DOCKER-BRIDGE and DOCKER-FORWARD get the bridge's rules appended, DOCKER its
// default DROP appended; internal networks: DOCKER-INTERNAL DROPs on top and
// `-i BR -o BR` ACCEPT/DROP in DOCKER-FORWARD; no nat RETURN. Ports: the
// filter ACCEPT inserted on top of DOCKER (above the DROPs), DNAT appended, no
// per-port MASQUERADE, and raw PREROUTING `-d IP/32 ! -i BR -j DROP` (direct
// access to the container from outside the bridge).

import type { Provenance } from '../../netfilter/model.ts';
import { versionAtLeast, type ActionList } from '../layerActions.ts';
import type { DockerDaemonConfig } from './dockerDaemonJson.ts';
import type { DockerPort } from './dockerCommandsFile.ts';
import type { DockerContainerPlan, DockerNetworkPlan } from './dockerNetworkPlan.ts';

/** Whether a rule (`-t nat -A POSTROUTING …` form without the -A: table, chain, spec) exists now. */
export type DockerRuleExists = (table: string, chain: string, spec: string) => boolean;

const from = (file: string, line: number): Provenance => ({ file, line });
const FROM_SOURCE = '(from moby source, not checked)';

export interface NetworkRuleOptions {
  version: string;
  config: DockerDaemonConfig;
  file: string;
  /** dockerd restart: the network is restored; rules still present are left in place. */
  restore: boolean;
  exists: DockerRuleExists;
  /** Only the filter or only the nat rules (a restart restores each after its table's flush). */
  part?: 'filter' | 'nat';
}

export function dockerNetworkRules(out: ActionList, net: DockerNetworkPlan, o: NetworkRuleOptions): void {
  const line = net.command?.line ?? 0;
  const p = from(o.file, line);
  const br = net.bridge;
  const v = o.version;
  const why = (what: string): string => `Docker ${v}: network ${net.name} (${br}, ${net.subnet})${o.restore ? ' restored on restart' : ''} — ${what} [${net.command?.text ?? ''}]`;
  const once = (table: string, op: '-I' | '-A', chain: string, spec: string, what: string): void => {
    if (o.part !== undefined && o.part !== (table === 'nat' ? 'nat' : 'filter')) return;
    if (o.restore && o.exists(table, chain, spec)) return;
    out.ipt('ipv4', `${table === 'filter' ? '' : `-t ${table} `}${op} ${chain} ${spec}`, why(what), p);
  };
  if (!o.restore && net.command?.bridgeName === undefined && o.part === undefined) {
    out.note('info', `${o.file}:${line}: Docker network ${net.name} (${net.subnet}) on bridge ${br} — real dockerd names the bridge br-<12 hex digits of a random network id>; the model derives the id from the name, so the bridge is named differently on a real host`);
  }
  const always = (table: 'filter' | 'nat', args: string, what: string): void => {
    if (o.part === undefined || o.part === table) out.ipt('ipv4', args, why(what), p);
  };
  if (versionAtLeast(v, '28.1')) {
    const src = (what: string): string => `${what} ${FROM_SOURCE}`;
    if (net.internal) {
      out.ipt('ipv4', `-I DOCKER-INTERNAL ! -d ${net.subnet} -i ${br} -j DROP`, why(src('--internal: nothing leaves the subnet')), p);
      out.ipt('ipv4', `-I DOCKER-INTERNAL ! -s ${net.subnet} -o ${br} -j DROP`, why(src('--internal: nothing from outside the subnet enters')), p);
      out.ipt('ipv4', `-A DOCKER-FORWARD -i ${br} -o ${br} -j ${net.icc ? 'ACCEPT' : 'DROP'}`, why(src(net.icc ? 'containers may talk to each other' : 'enable_icc=false')), p);
      return;
    }
    out.ipt('ipv4', `-A DOCKER ! -i ${br} -o ${br} -j DROP`, why(src('only published ports may reach its containers')), p);
    out.ipt('ipv4', `-A DOCKER-BRIDGE -o ${br} -j DOCKER`, why(src('traffic into the bridge')), p);
    out.ipt('ipv4', `-A DOCKER-CT -o ${br} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`, why(src('replies into the bridge')), p);
    if (!net.icc) out.ipt('ipv4', `-A DOCKER-FORWARD -i ${br} -o ${br} -j DROP`, why(src('enable_icc=false')), p);
    out.ipt('ipv4', `-A DOCKER-FORWARD -i ${br} -j ACCEPT`, why(src('its containers may send anywhere')), p);
    if (net.masquerade) out.ipt('ipv4', `-t nat -I POSTROUTING -s ${net.subnet} ! -o ${br} -j MASQUERADE`, why(src(`masquerade ${net.subnet}`)), p);
    return;
  }
  if (net.internal) {
    if (net.icc) once('filter', '-I', 'FORWARD', `-i ${br} -o ${br} -j ACCEPT`, '--internal: containers may talk to each other');
    else once('filter', '-A', 'FORWARD', `-i ${br} -o ${br} -j DROP`, '--internal, enable_icc=false (appended to FORWARD)');
    always('filter', `-I DOCKER-ISOLATION-STAGE-1 ! -d ${net.subnet} -i ${br} -j DROP`, '--internal: nothing leaves the subnet');
    always('filter', `-I DOCKER-ISOLATION-STAGE-1 ! -s ${net.subnet} -o ${br} -j DROP`, '--internal: nothing from outside the subnet enters');
  } else {
    const top = [
      { spec: `-o ${br} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`, what: 'replies into the bridge' },
      { spec: `-o ${br} -j DOCKER`, what: 'traffic into the bridge: published ports (DOCKER)' },
      { spec: `-i ${br} ! -o ${br} -j ACCEPT`, what: 'its containers may send anywhere' },
      ...(net.icc ? [{ spec: `-i ${br} -o ${br} -j ACCEPT`, what: 'containers may talk to each other (icc)' }] : []),
    ];
    for (const r of [...top].reverse()) once('filter', '-I', 'FORWARD', r.spec, r.what);
    if (!net.icc) once('filter', '-A', 'FORWARD', `-i ${br} -o ${br} -j DROP`, 'enable_icc=false (appended to FORWARD, below every other rule)');
    always('filter', `-I DOCKER-ISOLATION-STAGE-1 -i ${br} ! -o ${br} -j DOCKER-ISOLATION-STAGE-2`, 'network isolation');
    always('filter', `-I DOCKER-ISOLATION-STAGE-2 -o ${br} -j DROP`, 'other Docker networks may not reach it');
    if (net.masquerade) once('nat', '-I', 'POSTROUTING', `-s ${net.subnet} ! -o ${br} -j MASQUERADE`, `masquerade ${net.subnet}`);
    // With enable_ip_masquerade=false dockerd writes neither the MASQUERADE nor the nat RETURN (real 20.10.24 / 26.1.5).
    if (net.masquerade && o.config.userlandProxy) always('nat', `-t nat -I DOCKER -i ${br} -j RETURN`, 'no DNAT for traffic from the bridge itself');
    else if (net.masquerade) once('nat', '-I', 'POSTROUTING', `-o ${br} -m addrtype --src-type LOCAL -j MASQUERADE`, 'userland-proxy=false (hairpin NAT, as for docker0)');
  }
  if (!o.restore) {
    // Docker moves its jumps back to the top after every network it creates.
    for (const chain of ['DOCKER-ISOLATION-STAGE-1', 'DOCKER-USER']) {
      out.ipt('ipv4', `-D FORWARD -j ${chain}`, `Docker ${v}: FORWARD jump to ${chain} (moved back to the top after network ${net.name})`, p, { mayFail: true });
      out.ipt('ipv4', `-I FORWARD -j ${chain}`, `Docker ${v}: FORWARD jump to ${chain} (moved back to the top after network ${net.name})`, p);
    }
  }
}

function portSpecs(c: DockerContainerPlan, port: DockerPort, version: string, config: DockerDaemonConfig): { table: string; op: '-I' | '-A'; chain: string; spec: string; what: string }[] {
  const br = c.network.bridge;
  const m = `-p ${port.proto} -m ${port.proto}`;
  const host = port.hostIp ? `-d ${port.hostIp}/32 ` : '';
  const publish = `${port.hostIp || '0.0.0.0'}:${port.hostPort} → ${c.ip}:${port.containerPort}/${port.proto}`;
  if (versionAtLeast(version, '28.1')) {
    return [
      { table: 'filter', op: '-I', chain: 'DOCKER', spec: `-d ${c.ip}/32 ! -i ${br} -o ${br} ${m} --dport ${port.containerPort} -j ACCEPT`, what: `published port ${publish}: let it in ${FROM_SOURCE}` },
      { table: 'nat', op: '-A', chain: 'DOCKER', spec: `${host}! -i ${br} ${m} --dport ${port.hostPort} -j DNAT --to-destination ${c.ip}:${port.containerPort}`, what: `published port ${publish}: DNAT ${FROM_SOURCE}` },
    ];
  }
  const notFromBridge = config.userlandProxy ? `! -i ${br} ` : '';
  return [
    { table: 'filter', op: '-A', chain: 'DOCKER', spec: `-d ${c.ip}/32 ! -i ${br} -o ${br} ${m} --dport ${port.containerPort} -j ACCEPT`, what: `published port ${publish}: let it in` },
    { table: 'nat', op: '-A', chain: 'POSTROUTING', spec: `-s ${c.ip}/32 -d ${c.ip}/32 ${m} --dport ${port.containerPort} -j MASQUERADE`, what: `published port ${publish}: the container reaching itself through it is masqueraded` },
    { table: 'nat', op: '-A', chain: 'DOCKER', spec: `${host}${notFromBridge}${m} --dport ${port.hostPort} -j DNAT --to-destination ${c.ip}:${port.containerPort}`, what: `published port ${publish}: DNAT${config.userlandProxy ? '' : ' (hairpin mode: also for containers on the same bridge)'}` },
  ];
}

function containerSpecs(c: DockerContainerPlan, version: string, config: DockerDaemonConfig): { table: string; op: '-I' | '-A'; chain: string; spec: string; what: string }[] {
  if (c.network.internal || c.ports.length === 0) return [];
  const specs = c.ports.flatMap((port) => portSpecs(c, port, version, config));
  if (versionAtLeast(version, '28.1')) specs.push({ table: 'raw', op: '-A', chain: 'PREROUTING', spec: `-d ${c.ip}/32 ! -i ${c.network.bridge} -j DROP`, what: `no direct access to ${c.ip} from outside ${c.network.bridge} ${FROM_SOURCE}` });
  return specs;
}

const tableArg = (table: string): string => (table === 'filter' ? '' : `-t ${table} `);

/** A running container's published ports (docker run, or a start that runs the file's containers again). */
export function dockerContainerRules(out: ActionList, c: DockerContainerPlan, version: string, config: DockerDaemonConfig, file: string): void {
  const p = from(file, c.command.line);
  if (c.network.internal && c.ports.length > 0) out.note('warning', `${file}:${c.command.line}: ${c.label} is on --internal network ${c.network.name}: Docker publishes no ports for it`);
  for (const s of containerSpecs(c, version, config)) out.ipt('ipv4', `${tableArg(s.table)}${s.op} ${s.chain} ${s.spec}`, `Docker ${version}: container ${c.label} (${c.ip} on ${c.network.name}) — ${s.what} [${c.command.text}]`, p);
}

/** A container stops (dockerd stop, restart): its port rules go. */
export function dockerContainerStopRules(out: ActionList, c: DockerContainerPlan, version: string, config: DockerDaemonConfig, file: string): void {
  const p = from(file, c.command.line);
  for (const s of containerSpecs(c, version, config)) out.ipt('ipv4', `${tableArg(s.table)}-D ${s.chain} ${s.spec}`, `Docker ${version}: container ${c.label} stopped — its port rule goes`, p, { mayFail: true });
}
