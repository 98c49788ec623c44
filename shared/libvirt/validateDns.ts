// libvirt's define-time checks of <dns> (virNetworkDNSDefParseXML and the
// record parsers in src/conf/network_conf.c), messages word for word.

import { parseIp } from './ipMath.ts';
import type { Network } from './networkModel.ts';
import type { ProblemSink } from './problemSink.ts';

// Characters libvirt allows in SRV service and protocol names (SERVICE_CHARS, PROTOCOL_CHARS).
const SERVICE = /^[A-Za-z0-9_\-+/*]*$/;
const PROTOCOL = /^[A-Za-z0-9\-+/]*$/;
/** DNS_RECORD_LENGTH_SRV in network_conf.h. */
const SRV_SERVICE_MAX = 15;

export function validateDns(network: Network, sink: ProblemSink): void {
  const dns = network.dns;
  if (!dns) return;
  const name = network.name;
  for (const [i, f] of dns.forwarders.entries()) {
    if (f.addr !== undefined && !parseIp(f.addr)) return sink.define(`Invalid forwarder IP address '${f.addr}' in network '${name}'`, [['dns', 0], ['forwarder', i]], 'addr');
    if (f.addr === undefined && f.domain === undefined) return sink.define('Invalid forwarder element, must contain at least one of addr or domain', [['dns', 0], ['forwarder', i]]);
  }
  for (const [i, h] of dns.hosts.entries()) {
    const at = [['dns', 0], ['host', i]] as const;
    if (h.hostnames.length === 0 || h.hostnames.some((n) => n === '')) return sink.define(`Missing hostname in network '${name}' DNS HOST record`, at);
    if (h.ip === '') return sink.define(`Missing IP address in network '${name}' DNS HOST record`, at);
    if (!parseIp(h.ip)) return sink.define(`Invalid IP address in network '${name}' DNS HOST record`, at, 'ip');
  }
  for (const [i, s] of dns.srvs.entries()) {
    const at = [['dns', 0], ['srv', i]] as const;
    if (s.service === '') return sink.define(`missing required service attribute in DNS SRV record of network '${name}'`, at);
    if (s.service.length > SRV_SERVICE_MAX) return sink.define(`service attribute '${s.service}' in network '${name}' is too long, limit is ${SRV_SERVICE_MAX} bytes`, at, 'service');
    if (!SERVICE.test(s.service)) return sink.define(`invalid character in service attribute '${s.service}' in DNS SRV record of network '${name}'`, at, 'service');
    if (s.protocol === '') return sink.define(`missing required protocol attribute in DNS SRV record '${s.service}' of network '${name}'`, at);
    if (!PROTOCOL.test(s.protocol)) return sink.define(`invalid character in protocol attribute '${s.protocol}' in DNS SRV record of network '${name}'`, at, 'protocol');
    for (const key of ['port', 'priority', 'weight'] as const) {
      const value = s[key];
      if (value === undefined) continue;
      if (s.target === undefined) return sink.define(`DNS SRV ${key} attribute not permitted without target for service '${s.service}' in network '${name}'`, at, key);
      if ((key === 'port' && value < 1) || value > 65535) return sink.define(`invalid DNS SRV ${key} attribute for service '${s.service}' in network '${name}'`, at, key);
    }
  }
  for (const [i, t] of dns.txts.entries()) {
    const at = [['dns', 0], ['txt', i]] as const;
    if (t.name === '') return sink.define(`missing required name attribute in DNS TXT record of network ${name}`, at);
    if (/[ ,]/.test(t.name)) return sink.define(`prohibited character in DNS TXT record name '${t.name}' of network ${name}`, at, 'name');
  }
  if (dns.enable === false && dns.forwarders.length + dns.hosts.length + dns.srvs.length + dns.txts.length > 0) {
    sink.define(`Extra data in disabled network '${name}'`, [['dns', 0]], 'enable');
  }
}
