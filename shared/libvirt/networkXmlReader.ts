// Positioned XML tree → Network model (networkModel.ts).
//
// Lenient on purpose: it builds the model from whatever is there and leaves the
// libvirt checks to validateNetwork. The n-th <ip>/<range>/<host>/… element
// becomes the n-th array entry (networkXmlLocator.ts relies on it); a missing
// required string is read as ''. Only a value the model cannot hold (a
// non-numeric prefix, an unknown forward mode…) becomes a problem here, with
// libvirt's wording where libvirt has one (src/conf/network_conf.c).

import { childElements, firstChild, type XmlDocument, type XmlElement } from '../xml/xmlTree.ts';
import type {
  BandwidthConfig, DhcpConfig, DnsConfig, ForwardConfig, ForwardMode, IpConfig, Network, NatConfig, PortgroupConfig, RouteConfig,
} from './networkModel.ts';
import { FORWARD_MODES } from './networkModel.ts';
import type { NetworkProblem } from './networkProblem.ts';
import { omitUndefined } from './omitUndefined.ts';
import { XmlFieldReader } from './xmlFieldReader.ts';

export function readNetwork(doc: XmlDocument): { network: Network; problems: NetworkProblem[] } {
  const r = new XmlFieldReader(doc);
  const root = doc.root;
  const name = r.text(firstChild(root, 'name')) ?? '';
  r.networkName = name;
  const uuid = r.text(firstChild(root, 'uuid'));
  const ipv6Raw = r.string(root, 'ipv6');
  let ipv6Enabled: boolean | undefined;
  if (ipv6Raw !== undefined) {
    if (ipv6Raw === 'yes' || ipv6Raw === 'no') ipv6Enabled = ipv6Raw === 'yes';
    else r.error(`Invalid ipv6 setting '${ipv6Raw}' in network '${name}'`, root, '', 'ipv6');
  }
  const domainEl = firstChild(root, 'domain');
  const mtuEl = firstChild(root, 'mtu');
  const network: Network = omitUndefined({
    name,
    uuid: uuid === '' ? undefined : uuid,
    forward: readForward(r, firstChild(root, 'forward')),
    bridge: readBridge(r, firstChild(root, 'bridge')),
    mac: r.string(firstChild(root, 'mac'), 'address'),
    domain: domainEl ? omitUndefined({ name: r.string(domainEl, 'name') ?? '', localOnly: r.yesNo(domainEl, 'localOnly', 'domain') }) : undefined,
    dns: readDns(r, firstChild(root, 'dns')),
    ips: childElements(root, 'ip').map((el) => readIp(r, el)),
    routes: childElements(root, 'route').map((el) => readRoute(r, el)),
    mtu: mtuEl ? readMtu(r, mtuEl, name) : undefined,
    portgroups: childElements(root, 'portgroup').map((el) => readPortgroup(r, el)),
    virtualportType: r.string(firstChild(root, 'virtualport'), 'type'),
    bandwidth: readBandwidth(r, firstChild(root, 'bandwidth'), 'bandwidth'),
    ipv6Enabled,
  });
  return { network, problems: r.problems };
}

function readMtu(r: XmlFieldReader, el: XmlElement, name: string): number | undefined {
  const raw = r.string(el, 'size');
  if (raw === undefined) return undefined;
  if (/^[0-9]+$/.test(raw.trim())) return Number(raw.trim());
  r.error(`Invalid mtu size '${raw}' in network '${name}'`, el, 'mtu', 'size');
  return undefined;
}

function readForward(r: XmlFieldReader, el: XmlElement | undefined): ForwardConfig | undefined {
  if (!el) return undefined;
  const modeRaw = r.string(el, 'mode');
  let mode: ForwardMode = 'nat'; // <forward/> without mode is nat (libvirt.md §6)
  if (modeRaw !== undefined && modeRaw !== '') {
    if ((FORWARD_MODES as readonly string[]).includes(modeRaw)) mode = modeRaw as ForwardMode;
    else r.error(`unknown forwarding type '${modeRaw}'`, el, 'forward', 'mode');
  }
  const managed = r.string(el, 'managed');
  const interfaces = childElements(el, 'interface').map((i) => r.string(i, 'dev') ?? '');
  const pfEl = firstChild(el, 'pf');
  const natEl = firstChild(el, 'nat');
  return omitUndefined({
    mode,
    dev: r.string(el, 'dev'),
    nat: natEl ? readNat(r, natEl) : undefined,
    interfaces: interfaces.length > 0 ? interfaces : undefined,
    pf: pfEl ? (r.string(pfEl, 'dev') ?? '') : undefined,
    managed: managed === undefined ? undefined : managed.toLowerCase() === 'yes',
  });
}

function readNat(r: XmlFieldReader, el: XmlElement): NatConfig {
  const addressEl = firstChild(el, 'address');
  const portEl = firstChild(el, 'port');
  let port: NatConfig['port'];
  if (portEl) {
    const portNumber = (attr: 'start' | 'end'): number => {
      const raw = r.string(portEl, attr);
      if (raw !== undefined && /^[0-9]+$/.test(raw.trim())) return Number(raw.trim());
      r.error(`Missing or invalid '${attr}' attribute in <port> in <nat> in <forward> in network ${r.networkName ?? ''}`, portEl, 'forward/nat/port', raw === undefined ? undefined : attr);
      return 0;
    };
    port = { start: portNumber('start'), end: portNumber('end') };
  }
  return omitUndefined({
    address: addressEl ? { start: r.string(addressEl, 'start') ?? '', end: r.string(addressEl, 'end') ?? '' } : undefined,
    port,
    ipv6: r.yesNo(el, 'ipv6', 'forward/nat'),
  });
}

function readBridge(r: XmlFieldReader, el: XmlElement | undefined): Network['bridge'] {
  if (!el) return undefined;
  const stp = r.string(el, 'stp');
  const delayRaw = r.string(el, 'delay');
  let delay: number | undefined;
  if (delayRaw !== undefined) {
    if (/^[0-9]+$/.test(delayRaw.trim())) delay = Number(delayRaw.trim());
    else r.error(`Invalid delay value in network '${r.networkName ?? ''}'`, el, 'bridge', 'delay');
  }
  const mtm = r.string(el, 'macTableManager');
  let macTableManager: 'kernel' | 'libvirt' | undefined;
  if (mtm !== undefined) {
    if (mtm === 'kernel' || mtm === 'libvirt') macTableManager = mtm;
    else r.error(`Invalid macTableManager setting '${mtm}' in network '${r.networkName ?? ''}'`, el, 'bridge', 'macTableManager');
  }
  return omitUndefined({
    name: r.string(el, 'name'),
    // libvirt: stp is on unless the attribute is exactly 'off' (virNetworkDefParseXML)
    stp: stp === undefined ? undefined : stp !== 'off',
    delay,
    macTableManager,
    zone: r.string(el, 'zone'),
  });
}

function readDns(r: XmlFieldReader, el: XmlElement | undefined): DnsConfig | undefined {
  if (!el) return undefined;
  return omitUndefined({
    enable: r.yesNo(el, 'enable', 'dns'),
    forwardPlainNames: r.yesNo(el, 'forwardPlainNames', 'dns'),
    forwarders: childElements(el, 'forwarder').map((f) => omitUndefined({ addr: r.string(f, 'addr'), domain: r.string(f, 'domain') })),
    hosts: childElements(el, 'host').map((h) => ({ ip: r.string(h, 'ip') ?? '', hostnames: childElements(h, 'hostname').map((n) => r.text(n) ?? '') })),
    srvs: childElements(el, 'srv').map((s) =>
      omitUndefined({
        service: r.string(s, 'service') ?? '',
        protocol: r.string(s, 'protocol') ?? '',
        domain: r.string(s, 'domain'),
        target: r.string(s, 'target'),
        port: r.unsigned(s, 'port', 'dns/srv'),
        priority: r.unsigned(s, 'priority', 'dns/srv'),
        weight: r.unsigned(s, 'weight', 'dns/srv'),
      }),
    ),
    txts: childElements(el, 'txt').map((t) => ({ name: r.string(t, 'name') ?? '', value: r.string(t, 'value') ?? '' })),
  });
}

function readIp(r: XmlFieldReader, el: XmlElement): IpConfig {
  const familyRaw = r.string(el, 'family');
  const address = r.string(el, 'address') ?? '';
  let family: IpConfig['family'] = 'ipv4';
  if (familyRaw === 'ipv6') family = 'ipv6';
  else if (familyRaw !== undefined && familyRaw !== 'ipv4') {
    r.error(`Unrecognized family '${familyRaw}' in network '${r.networkName ?? ''}'`, el, 'ip', 'family');
    if (address.includes(':')) family = 'ipv6';
  }
  const dhcpEl = firstChild(el, 'dhcp');
  const tftpEl = firstChild(el, 'tftp');
  return omitUndefined({
    family,
    familyExplicit: familyRaw !== undefined ? true : undefined,
    address,
    netmask: r.string(el, 'netmask'),
    prefix: r.unsigned(el, 'prefix', 'ip'),
    localPtr: r.yesNo(el, 'localPtr', 'ip'),
    dhcp: dhcpEl ? readDhcp(r, dhcpEl) : undefined,
    tftpRoot: tftpEl ? (r.string(tftpEl, 'root') ?? '') : undefined,
  });
}

function readDhcp(r: XmlFieldReader, el: XmlElement): DhcpConfig {
  const bootpEl = firstChild(el, 'bootp');
  return omitUndefined({
    ranges: childElements(el, 'range').map((g) => ({ start: r.string(g, 'start') ?? '', end: r.string(g, 'end') ?? '' })),
    hosts: childElements(el, 'host').map((h) => omitUndefined({ mac: r.string(h, 'mac'), id: r.string(h, 'id'), name: r.string(h, 'name'), ip: r.string(h, 'ip') })),
    bootp: bootpEl ? omitUndefined({ file: r.string(bootpEl, 'file') ?? '', server: r.string(bootpEl, 'server') }) : undefined,
  });
}

function readRoute(r: XmlFieldReader, el: XmlElement): RouteConfig {
  const family = r.string(el, 'family');
  return omitUndefined({
    family: family === 'ipv4' || family === 'ipv6' ? family : undefined,
    address: r.string(el, 'address') ?? '',
    netmask: r.string(el, 'netmask'),
    prefix: r.unsigned(el, 'prefix', 'route'),
    gateway: r.string(el, 'gateway') ?? '',
    metric: r.unsigned(el, 'metric', 'route'),
  });
}

function readPortgroup(r: XmlFieldReader, el: XmlElement): PortgroupConfig {
  const isDefault = r.string(el, 'default');
  const vlanEl = firstChild(el, 'vlan');
  return omitUndefined({
    name: r.string(el, 'name') ?? '',
    isDefault: isDefault === undefined ? undefined : isDefault.toLowerCase() === 'yes',
    vlanTags: vlanEl ? childElements(vlanEl, 'tag').map((t) => r.unsigned(t, 'id', 'portgroup/vlan/tag') ?? 0) : undefined,
  });
}

function readBandwidth(r: XmlFieldReader, el: XmlElement | undefined, path: string): BandwidthConfig | undefined {
  if (!el) return undefined;
  const rates = (dir: XmlElement | undefined, sub: string) =>
    dir
      ? omitUndefined({
          average: r.unsigned(dir, 'average', `${path}/${sub}`),
          peak: r.unsigned(dir, 'peak', `${path}/${sub}`),
          burst: r.unsigned(dir, 'burst', `${path}/${sub}`),
          floor: sub === 'inbound' ? r.unsigned(dir, 'floor', `${path}/${sub}`) : undefined,
        })
      : undefined;
  return omitUndefined({ inbound: rates(firstChild(el, 'inbound'), 'inbound'), outbound: rates(firstChild(el, 'outbound'), 'outbound') });
}
