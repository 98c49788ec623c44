// Model → XML text the way libvirt prints a network (virNetworkDefFormatBuf,
// src/conf/network_conf.c): element and attribute order, two-space indent,
// single quotes, `<ip …>` always written open/close, `<dhcp>` only with ranges
// or hosts. It prints what the model holds; canonicalNetworkXml fills in what
// libvirt adds at define time before calling it.

import { escapeAttribute, escapeText } from '../xml/xmlEntities.ts';
import type { BandwidthConfig, DnsConfig, ForwardConfig, IpConfig, Network, PortgroupConfig, RouteConfig } from './networkModel.ts';

type Attrs = [name: string, value: string | number | undefined][];

class Printer {
  private readonly lines: string[] = [];
  private depth = 0;

  private open(name: string, attrs: Attrs): string {
    let s = '<' + name;
    for (const [k, v] of attrs) if (v !== undefined) s += ` ${k}='${escapeAttribute(String(v), "'")}'`;
    return s;
  }
  line(text: string): void {
    this.lines.push('  '.repeat(this.depth) + text);
  }
  empty(name: string, attrs: Attrs): void {
    this.line(this.open(name, attrs) + '/>');
  }
  textElement(name: string, text: string): void {
    this.line(`<${name}>${escapeText(text)}</${name}>`);
  }
  block(name: string, attrs: Attrs, body: () => void): void {
    this.line(this.open(name, attrs) + '>');
    this.depth++;
    body();
    this.depth--;
    this.line(`</${name}>`);
  }
  text(): string {
    return this.lines.join('\n') + '\n';
  }
}

const yn = (b: boolean | undefined): string | undefined => (b === undefined ? undefined : b ? 'yes' : 'no');

/** Parts of a definition libvirt keeps that the model does not hold (canonicalNetworkXml passes them). */
export interface FormatExtras {
  title?: string;
  description?: string;
  /** The <metadata> element as written (libvirt re-indents it; virtwall copies it). */
  metadataXml?: string;
}

export function formatNetworkXml(network: Network, extras: FormatExtras = {}): string {
  const p = new Printer();
  p.block('network', [['ipv6', network.ipv6Enabled ? 'yes' : undefined]], () => {
    p.textElement('name', network.name);
    if (network.uuid !== undefined) p.textElement('uuid', network.uuid);
    if (extras.title !== undefined) p.textElement('title', extras.title);
    if (extras.description !== undefined) p.textElement('description', extras.description);
    if (extras.metadataXml !== undefined) p.line(extras.metadataXml);
    if (network.forward) formatForward(p, network.forward);
    const b = network.bridge;
    if (b) {
      p.empty('bridge', [['name', b.name], ['zone', b.zone], ['stp', b.stp === undefined ? undefined : b.stp ? 'on' : 'off'], ['delay', b.delay], ['macTableManager', b.macTableManager]]);
    }
    if (network.mtu !== undefined) p.empty('mtu', [['size', network.mtu]]);
    if (network.mac !== undefined) p.empty('mac', [['address', network.mac]]);
    if (network.domain) p.empty('domain', [['name', network.domain.name], ['localOnly', yn(network.domain.localOnly)]]);
    if (network.dns) formatDns(p, network.dns);
    if (network.bandwidth) formatBandwidth(p, network.bandwidth);
    for (const ip of network.ips) formatIp(p, ip);
    for (const route of network.routes) formatRoute(p, route);
    if (network.virtualportType !== undefined) p.empty('virtualport', [['type', network.virtualportType]]);
    for (const pg of network.portgroups) formatPortgroup(p, pg);
  });
  return p.text();
}

function formatForward(p: Printer, f: ForwardConfig): void {
  const attrs: Attrs = [['dev', f.dev], ['mode', f.mode], ['managed', f.mode === 'hostdev' ? yn(f.managed ?? false) : undefined]];
  const nat = f.mode === 'nat' ? f.nat : undefined;
  const natHasContent = nat && (nat.address || nat.port || nat.ipv6 !== undefined);
  const interfaces = f.interfaces ?? [];
  if (!natHasContent && f.pf === undefined && interfaces.length === 0) {
    p.empty('forward', attrs);
    return;
  }
  p.block('forward', attrs, () => {
    if (nat && natHasContent) {
      const natAttrs: Attrs = [['ipv6', yn(nat.ipv6)]];
      if (!nat.address && !nat.port) p.empty('nat', natAttrs);
      else
        p.block('nat', natAttrs, () => {
          if (nat.address) p.empty('address', [['start', nat.address.start], ['end', nat.address.end]]);
          if (nat.port) p.empty('port', [['start', nat.port.start], ['end', nat.port.end || undefined]]);
        });
    }
    if (f.pf !== undefined) p.empty('pf', [['dev', f.pf]]);
    for (const dev of interfaces) p.empty('interface', [['dev', dev]]);
  });
}

function formatDns(p: Printer, dns: DnsConfig): void {
  const attrs: Attrs = [['enable', yn(dns.enable)], ['forwardPlainNames', yn(dns.forwardPlainNames)]];
  const srvs = dns.srvs.filter((s) => s.service && s.protocol);
  if (dns.forwarders.length + dns.txts.length + srvs.length + dns.hosts.length === 0) {
    if (dns.enable !== undefined || dns.forwardPlainNames !== undefined) p.empty('dns', attrs);
    return;
  }
  p.block('dns', attrs, () => {
    for (const f of dns.forwarders) p.empty('forwarder', [['domain', f.domain], ['addr', f.addr]]);
    for (const t of dns.txts) p.empty('txt', [['name', t.name], ['value', t.value]]);
    for (const s of srvs) {
      p.empty('srv', [['service', s.service], ['protocol', s.protocol], ['domain', s.domain], ['target', s.target], ['port', s.port || undefined], ['priority', s.priority || undefined], ['weight', s.weight || undefined]]);
    }
    for (const h of dns.hosts) p.block('host', [['ip', h.ip]], () => h.hostnames.forEach((n) => p.textElement('hostname', n)));
  });
}

function formatBandwidth(p: Printer, bw: BandwidthConfig): void {
  if (!bw.inbound && !bw.outbound) return;
  p.block('bandwidth', [], () => {
    // virNetDevBandwidthRateFormat prints average, peak, floor, burst (src/conf/netdev_bandwidth_conf.c)
    if (bw.inbound) p.empty('inbound', [['average', bw.inbound.average], ['peak', bw.inbound.peak], ['floor', bw.inbound.floor], ['burst', bw.inbound.burst]]);
    if (bw.outbound) p.empty('outbound', [['average', bw.outbound.average], ['peak', bw.outbound.peak], ['burst', bw.outbound.burst]]);
  });
}

function formatIp(p: Printer, ip: IpConfig): void {
  const family = ip.familyExplicit || ip.family === 'ipv6' ? ip.family : undefined;
  const attrs: Attrs = [['family', family], ['address', ip.address], ['netmask', ip.netmask], ['prefix', ip.prefix || undefined], ['localPtr', yn(ip.localPtr)]];
  p.block('ip', attrs, () => {
    if (ip.tftpRoot !== undefined) p.empty('tftp', [['root', ip.tftpRoot]]);
    const dhcp = ip.dhcp;
    if (dhcp && (dhcp.ranges.length > 0 || dhcp.hosts.length > 0)) {
      p.block('dhcp', [], () => {
        for (const r of dhcp.ranges) p.empty('range', [['start', r.start], ['end', r.end]]);
        for (const h of dhcp.hosts) p.empty('host', [['mac', h.mac], ['id', h.id], ['name', h.name], ['ip', h.ip]]);
        if (dhcp.bootp) p.empty('bootp', [['file', dhcp.bootp.file], ['server', dhcp.bootp.server]]);
      });
    }
  });
}

function formatRoute(p: Printer, r: RouteConfig): void {
  p.empty('route', [['family', r.family], ['address', r.address], ['netmask', r.netmask], ['prefix', r.prefix], ['gateway', r.gateway], ['metric', r.metric || undefined]]);
}

function formatPortgroup(p: Printer, pg: PortgroupConfig): void {
  p.block('portgroup', [['name', pg.name], ['default', pg.isDefault ? 'yes' : undefined]], () => {
    if (pg.vlanTags && pg.vlanTags.length > 0) p.block('vlan', [], () => pg.vlanTags!.forEach((id) => p.empty('tag', [['id', id]])));
  });
}
