// libvirt's define-time checks of <forward> and of what each forward mode
// allows: virNetworkForwardDefParseXML / virNetworkForwardNatDefParseXML and the
// mode switch at the end of virNetworkDefParseXML (src/conf/network_conf.c),
// then networkValidate (src/network/bridge_driver.c). Messages word for word.

import { checkAddressRange } from './addressRangeCheck.ts';
import { familyOf, parseIp } from './ipMath.ts';
import { forwardModeOf, type Network } from './networkModel.ts';
import type { ProblemSink } from './problemSink.ts';

const L3_MODES = ['none', 'nat', 'route', 'open'];

export function validateForward(network: Network, sink: ProblemSink): void {
  const name = network.name;
  const f = network.forward;
  const mode = forwardModeOf(network);
  if (f) {
    if (f.nat) {
      const natAt = [['forward', 0], ['nat', 0]] as const;
      if (f.mode !== 'nat') return sink.define(`The <nat> element can only be used when <forward> 'mode' is 'nat' in network ${name}`, natAt);
      const addr = f.nat.address;
      if (addr) {
        const at = [...natAt, ['address', 0]] as const;
        if (addr.start === '') return sink.define(`missing 'start' attribute in <address> element in <nat> in <forward> in network ${name}`, at);
        if (addr.end === '') return sink.define(`missing 'end' attribute in <address> element in <nat> in <forward> in network ${name}`, at);
        const start = parseIp(addr.start);
        if (!start || familyOf(start) !== 'ipv4') return sink.define(`Bad ipv4 start address '${addr.start}' in <nat> in <forward> in network '${name}'`, at, 'start');
        const end = parseIp(addr.end);
        if (!end || familyOf(end) !== 'ipv4') return sink.define(`Bad ipv4 end address '${addr.end}' in <nat> in <forward> in network '${name}'`, at, 'end');
        const problem = checkAddressRange(start, end);
        if (problem) return sink.define(problem.message, at, problem.culprit);
      }
      const port = f.nat.port;
      if (port) {
        const at = [...natAt, ['port', 0]] as const;
        if (port.start > 65535) return sink.define(`Missing or invalid 'start' attribute in <port> in <nat> in <forward> in network ${name}`, at, 'start');
        if (port.end > 65535 || port.end < port.start) return sink.define(`Missing or invalid 'end' attribute in <port> in <nat> in <forward> in network ${name}`, at, 'end');
        // Defined fine, but net-start builds the masquerade rules and wants start < end (seen with real
        // libvirt 9.0 in test/reality/libvirt-generator.test.ts; the timeline fold refuses the start alike).
        if (port.start === port.end && port.start !== 0) sink.start(`Invalid port range '${port.start}-${port.end}'. (libvirt wants start below end when it builds the masquerade rules)`, at, 'end');
      }
    }
    const interfaces = f.interfaces ?? [];
    for (const [i, dev] of interfaces.entries()) {
      if (dev === '') return sink.define(`Missing required dev attribute in <forward> <interface> element of network ${name}`, [['forward', 0], ['interface', i]]);
    }
    if (f.dev !== undefined && interfaces.length > 0 && interfaces[0] !== f.dev) {
      return sink.define(`<forward dev='${f.dev}'> must match first <interface dev='${interfaces[0]}'/> in network ${name}`, [['forward', 0], ['interface', 0]], 'dev');
    }
    const dup = interfaces.findIndex((d, i) => interfaces.indexOf(d) !== i);
    if (dup !== -1) return sink.define(`interface '${interfaces[dup]}' can only be listed once in network ${name}`, [['forward', 0], ['interface', dup]], 'dev');
    if (f.pf === '') return sink.define(`Missing required dev attribute in <pf> element of network '${name}'`, [['forward', 0], ['pf', 0]]);
    if (f.dev !== undefined && f.pf !== undefined) return sink.define(`the <forward> 'dev' attribute cannot be used when <address> or <pf> sub-elements are present in network ${name}`, [['forward', 0]], 'dev');
  }
  const pool = f ? (f.dev !== undefined ? [f.dev, ...(f.interfaces ?? []).slice(1)] : (f.interfaces ?? [])) : [];
  const bridge = network.bridge;
  switch (mode) {
    case 'nat':
    case 'route':
    case 'open':
      if (network.ips.length === 0) return sink.define(`${mode} forwarding requested, but no IP address provided for network '${name}'`, [['forward', 0]]);
      if (pool.length > 1) return sink.define(`multiple forwarding interfaces specified for network '${name}', only one is supported`, [['forward', 0]]);
      if (mode === 'open' && pool.length > 0) return sink.define(`forward dev not allowed for network '${name}' with forward mode='open'`, [['forward', 0]], 'dev');
      break;
    case 'private':
    case 'vepa':
    case 'passthrough':
    case 'hostdev':
    case 'bridge':
      if (mode !== 'bridge') {
        if (bridge?.name) return sink.define(`bridge name not allowed in ${mode} mode (network '${name}')`, [['bridge', 0]], 'name');
        if (bridge?.zone) return sink.define(`bridge zone not allowed in ${mode} mode (network '${name}')`, [['bridge', 0]], 'zone');
        if (bridge?.macTableManager) return sink.define(`bridge macTableManager setting not allowed in ${mode} mode (network '${name}')`, [['bridge', 0]], 'macTableManager');
      }
      if (bridge?.delay || bridge?.stp !== undefined || bridge?.zone) {
        return sink.define(`bridge delay/stp/zone options only allowed in route, nat, and isolated mode, not in ${mode} (network '${name}')`, [['bridge', 0]]);
      }
      if (bridge?.name && (pool.length > 0 || f?.pf !== undefined)) {
        return sink.define(`A network with forward mode='${mode}' can specify a bridge name or a forward dev, but not both (network '${name}')`, [['bridge', 0]], 'name');
      }
      break;
  }
  if (network.mtu && !L3_MODES.includes(mode)) return sink.define(`mtu size only allowed in open, route, nat, and isolated mode, not in ${mode} (network '${name}')`, [['mtu', 0]]);
  validateModeContent(network, mode, sink);
}

/** networkValidate: what only the modes with a libvirt-managed bridge may carry. */
function validateModeContent(network: Network, mode: string, sink: ProblemSink): void {
  const name = network.name;
  if (L3_MODES.includes(mode)) return;
  if (network.mac !== undefined) return sink.define(`Unsupported <mac> element in network ${name} with forward mode='${mode}'`, [['mac', 0]]);
  if (network.ips.length > 0) return sink.define(`Unsupported <ip> element in network ${name} with forward mode='${mode}'`, [['ip', 0]]);
  const dns = network.dns;
  if (dns && dns.txts.length + dns.hosts.length + dns.srvs.length > 0) return sink.define(`Unsupported <dns> element in network ${name} with forward mode='${mode}'`, [['dns', 0]]);
  if (network.domain) return sink.define(`Unsupported <domain> element in network ${name} with forward mode='${mode}'`, [['domain', 0]]);
  if (network.bandwidth && !(mode === 'bridge' && network.bridge?.name)) {
    return sink.define(`Unsupported network-wide <bandwidth> element in network ${name} with forward mode='${mode}'`, [['bandwidth', 0]]);
  }
  const f = network.forward;
  if (mode === 'hostdev' && f?.interfaces?.length) {
    return sink.define(`hostdev network '${name}' lists '${f.interfaces[0]}' in the device pool, but hostdev networks require all devices to be listed by PCI address, not network device name`, [['forward', 0], ['interface', 0]]);
  }
  if (f?.pf !== undefined && (f.interfaces?.length || f.dev !== undefined)) {
    return sink.define(`<address>, <interface>, and <pf> elements of <forward> in network ${name} are mutually exclusive`, [['forward', 0]]);
  }
}
