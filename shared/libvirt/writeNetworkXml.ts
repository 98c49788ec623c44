// Model → network XML.
//
// With the original document: the model read from it (before) is compared with
// the edited model (after) field by field and only differing fields are
// written into a copy of the tree; everything else, including elements,
// attributes and comments the model does not know, is copied from the original
// text unchanged. Without one: a fresh document in libvirt's format.

import { cloneJson } from '../json/cloneJson.ts';
import { serializeXmlDocument } from '../xml/xmlSerialize.ts';
import type { XmlElement } from '../xml/xmlTree.ts';
import { formatNetworkXml } from './formatNetworkXml.ts';
import { NETWORK_ELEMENT_ORDER } from './networkElementOrder.ts';
import type { BandwidthConfig, DhcpConfig, DnsConfig, ForwardConfig, IpConfig, NatConfig, Network, PortgroupConfig, RouteConfig } from './networkModel.ts';
import { readNetwork } from './networkXmlReader.ts';
import type { NetworkXmlDocument } from './parseNetworkXml.ts';
import { XmlTreeSync } from './xmlTreeSync.ts';

const yn = (b: boolean | undefined): string | undefined => (b === undefined ? undefined : b ? 'yes' : 'no');
const num = (n: number | undefined): string | undefined => (n === undefined ? undefined : String(n));

export function writeNetworkXml(network: Network, original?: NetworkXmlDocument | null): string {
  if (!original || original.root.name !== 'network') return formatNetworkXml(network);
  const doc = cloneJson(original);
  const before = readNetwork(doc).network;
  new NetworkTreeWriter(new XmlTreeSync(doc, NETWORK_ELEMENT_ORDER)).network(doc.root, before, network);
  return serializeXmlDocument(doc);
}

class NetworkTreeWriter {
  constructor(private readonly s: XmlTreeSync) {}

  network(root: XmlElement, b: Network, a: Network): void {
    const s = this.s;
    s.attr(root, 'ipv6', yn(b.ipv6Enabled), yn(a.ipv6Enabled));
    s.singleton(root, '', 'name', b.name, a.name, (el, bb, aa) => s.text(el, bb, aa));
    s.singleton(root, '', 'uuid', b.uuid, a.uuid, (el, bb, aa) => s.text(el, bb, aa));
    s.singleton(root, '', 'forward', b.forward, a.forward, (el, bb, aa, i) => this.forward(el, bb, aa, i));
    s.singleton(root, '', 'bridge', b.bridge, a.bridge, (el, bb, aa) => {
      const onOff = (v: boolean | undefined) => (v === undefined ? undefined : v ? 'on' : 'off');
      s.attr(el, 'name', bb?.name, aa.name);
      s.attr(el, 'zone', bb?.zone, aa.zone);
      s.attr(el, 'stp', onOff(bb?.stp), onOff(aa.stp));
      s.attr(el, 'delay', num(bb?.delay), num(aa.delay));
      s.attr(el, 'macTableManager', bb?.macTableManager, aa.macTableManager);
    });
    s.singleton(root, '', 'mtu', b.mtu, a.mtu, (el, bb, aa) => s.attr(el, 'size', num(bb), num(aa)));
    s.singleton(root, '', 'mac', b.mac, a.mac, (el, bb, aa) => s.attr(el, 'address', bb, aa));
    s.singleton(root, '', 'domain', b.domain, a.domain, (el, bb, aa) => {
      s.attr(el, 'name', bb?.name, aa.name);
      s.attr(el, 'localOnly', yn(bb?.localOnly), yn(aa.localOnly));
    });
    s.singleton(root, '', 'dns', b.dns, a.dns, (el, bb, aa, i) => this.dns(el, bb, aa, i));
    s.singleton(root, '', 'bandwidth', b.bandwidth, a.bandwidth, (el, bb, aa, i) => this.bandwidth(el, bb, aa, i));
    s.list(root, '', 'ip', b.ips, a.ips, (el, bb, aa, i) => this.ip(el, bb, aa, i));
    s.list(root, '', 'route', b.routes, a.routes, (el, bb, aa) => this.route(el, bb, aa));
    s.singleton(root, '', 'virtualport', b.virtualportType, a.virtualportType, (el, bb, aa) => s.attr(el, 'type', bb, aa));
    s.list(root, '', 'portgroup', b.portgroups, a.portgroups, (el, bb, aa, i) => this.portgroup(el, bb, aa, i));
  }

  private forward(el: XmlElement, b: ForwardConfig | undefined, a: ForwardConfig, indent: string): void {
    const s = this.s;
    s.attr(el, 'dev', b?.dev, a.dev);
    s.attr(el, 'mode', b?.mode, a.mode);
    s.attr(el, 'managed', yn(b?.managed), yn(a.managed));
    s.singleton(el, indent, 'nat', b?.nat, a.nat, (n, bb, aa, i) => this.nat(n, bb, aa, i));
    s.singleton(el, indent, 'pf', b?.pf, a.pf, (n, bb, aa) => s.attr(n, 'dev', bb, aa));
    s.list(el, indent, 'interface', b?.interfaces ?? [], a.interfaces ?? [], (n, bb, aa) => s.attr(n, 'dev', bb, aa));
  }

  private nat(el: XmlElement, b: NatConfig | undefined, a: NatConfig, indent: string): void {
    const s = this.s;
    s.attr(el, 'ipv6', yn(b?.ipv6), yn(a.ipv6));
    s.singleton(el, indent, 'address', b?.address, a.address, (n, bb, aa) => {
      s.attr(n, 'start', bb?.start, aa.start);
      s.attr(n, 'end', bb?.end, aa.end);
    });
    s.singleton(el, indent, 'port', b?.port, a.port, (n, bb, aa) => {
      s.attr(n, 'start', num(bb?.start), num(aa.start));
      s.attr(n, 'end', num(bb?.end), num(aa.end));
    });
  }

  private dns(el: XmlElement, b: DnsConfig | undefined, a: DnsConfig, indent: string): void {
    const s = this.s;
    s.attr(el, 'enable', yn(b?.enable), yn(a.enable));
    s.attr(el, 'forwardPlainNames', yn(b?.forwardPlainNames), yn(a.forwardPlainNames));
    s.list(el, indent, 'forwarder', b?.forwarders ?? [], a.forwarders, (n, bb, aa) => {
      s.attr(n, 'domain', bb?.domain, aa.domain);
      s.attr(n, 'addr', bb?.addr, aa.addr);
    });
    s.list(el, indent, 'txt', b?.txts ?? [], a.txts, (n, bb, aa) => {
      s.attr(n, 'name', bb?.name, aa.name);
      s.attr(n, 'value', bb?.value, aa.value);
    });
    s.list(el, indent, 'srv', b?.srvs ?? [], a.srvs, (n, bb, aa) => {
      for (const k of ['service', 'protocol', 'domain', 'target'] as const) s.attr(n, k, bb?.[k], aa[k]);
      for (const k of ['port', 'priority', 'weight'] as const) s.attr(n, k, num(bb?.[k]), num(aa[k]));
    });
    s.list(el, indent, 'host', b?.hosts ?? [], a.hosts, (n, bb, aa, i) => {
      s.attr(n, 'ip', bb?.ip, aa.ip);
      s.list(n, i, 'hostname', bb?.hostnames ?? [], aa.hostnames, (h, hb, ha) => s.text(h, hb, ha));
    });
  }

  private bandwidth(el: XmlElement, b: BandwidthConfig | undefined, a: BandwidthConfig, indent: string): void {
    for (const dir of ['inbound', 'outbound'] as const) {
      this.s.singleton(el, indent, dir, b?.[dir], a[dir], (n, bb, aa) => {
        for (const k of ['average', 'peak', 'floor', 'burst'] as const) {
          this.s.attr(n, k, num((bb as Record<string, number | undefined> | undefined)?.[k]), num((aa as Record<string, number | undefined>)[k]));
        }
      });
    }
  }

  private ip(el: XmlElement, b: IpConfig | undefined, a: IpConfig, indent: string): void {
    const s = this.s;
    const family = (ip: IpConfig | undefined) => (ip && (ip.familyExplicit || ip.family === 'ipv6') ? ip.family : undefined);
    s.attr(el, 'family', family(b), family(a));
    s.attr(el, 'address', b?.address, a.address);
    s.attr(el, 'netmask', b?.netmask, a.netmask);
    s.attr(el, 'prefix', num(b?.prefix), num(a.prefix));
    s.attr(el, 'localPtr', yn(b?.localPtr), yn(a.localPtr));
    s.singleton(el, indent, 'tftp', b?.tftpRoot, a.tftpRoot, (n, bb, aa) => s.attr(n, 'root', bb, aa));
    s.singleton(el, indent, 'dhcp', b?.dhcp, a.dhcp, (n, bb, aa, i) => this.dhcp(n, bb, aa, i));
  }

  private dhcp(el: XmlElement, b: DhcpConfig | undefined, a: DhcpConfig, indent: string): void {
    const s = this.s;
    s.list(el, indent, 'range', b?.ranges ?? [], a.ranges, (n, bb, aa) => {
      s.attr(n, 'start', bb?.start, aa.start);
      s.attr(n, 'end', bb?.end, aa.end);
    });
    s.list(el, indent, 'host', b?.hosts ?? [], a.hosts, (n, bb, aa) => {
      for (const k of ['mac', 'id', 'name', 'ip'] as const) s.attr(n, k, bb?.[k], aa[k]);
    });
    s.singleton(el, indent, 'bootp', b?.bootp, a.bootp, (n, bb, aa) => {
      s.attr(n, 'file', bb?.file, aa.file);
      s.attr(n, 'server', bb?.server, aa.server);
    });
  }

  private route(el: XmlElement, b: RouteConfig | undefined, a: RouteConfig): void {
    const s = this.s;
    s.attr(el, 'family', b?.family, a.family);
    s.attr(el, 'address', b?.address, a.address);
    s.attr(el, 'netmask', b?.netmask, a.netmask);
    s.attr(el, 'prefix', num(b?.prefix), num(a.prefix));
    s.attr(el, 'gateway', b?.gateway, a.gateway);
    s.attr(el, 'metric', num(b?.metric), num(a.metric));
  }

  private portgroup(el: XmlElement, b: PortgroupConfig | undefined, a: PortgroupConfig, indent: string): void {
    const s = this.s;
    s.attr(el, 'name', b?.name, a.name);
    s.attr(el, 'default', yn(b?.isDefault), yn(a.isDefault));
    s.singleton(el, indent, 'vlan', b?.vlanTags, a.vlanTags, (v, bb, aa, i) => {
      s.list(v, i, 'tag', bb ?? [], aa, (t, tb, ta) => s.attr(t, 'id', num(tb), num(ta)));
    });
  }
}
