// The host's sysctls over time: the lab's boot values (host.sysctls, written
// by the distribution's sysctl.d at boot), then every write by a tool or an
// admin, each with its provenance. `sysctl --system` (sysctl-reload)
// re-applies the boot values and the writes marked persistent.

import type { HostSysctls } from '../../lab/labModel.ts';
import type { Provenance } from '../../netfilter/model.ts';
import type { SysctlValue } from './layerDriver.ts';

const BOOT: Provenance = { layer: 'host', layerLabel: 'host configuration', reason: 'lab: host sysctls at boot' };

export function bootSysctls(s: HostSysctls): SysctlValue[] {
  const out: SysctlValue[] = [];
  const put = (key: string, value: string | number | boolean): void => {
    out.push({ key, value: typeof value === 'boolean' ? (value ? '1' : '0') : String(value), provenance: BOOT });
  };
  put('net.ipv4.ip_forward', s.ipForward);
  put('net.ipv6.conf.all.forwarding', s.ipv6Forwarding);
  for (const [iface, on] of Object.entries(s.interfaceForwarding)) put(`net.ipv4.conf.${iface}.forwarding`, on);
  put('net.ipv4.conf.all.rp_filter', s.rpFilter.all);
  put('net.ipv4.conf.default.rp_filter', s.rpFilter.default);
  for (const [iface, mode] of Object.entries(s.rpFilter.interfaces)) put(`net.ipv4.conf.${iface}.rp_filter`, mode);
  put('net.bridge.bridge-nf-call-iptables', s.bridgeNfCallIptables);
  return out;
}

export class SysctlTable {
  private readonly values = new Map<string, SysctlValue>();
  private readonly persistent = new Map<string, SysctlValue>();

  constructor(private readonly boot: SysctlValue[]) {
    for (const v of boot) this.values.set(v.key, v);
  }

  get(key: string): string | undefined {
    return this.values.get(key)?.value;
  }

  set(key: string, value: string, provenance: Provenance, persist = false): void {
    const v = { key, value, provenance };
    this.values.set(key, v);
    if (persist) this.persistent.set(key, v);
  }

  /** sysctl --system: boot files and persisted writes are applied again. */
  reload(provenance: Provenance): void {
    for (const v of [...this.boot, ...this.persistent.values()]) this.values.set(v.key, { ...v, provenance: { ...v.provenance, event: provenance.event, eventId: provenance.eventId } });
  }

  list(): SysctlValue[] {
    return [...this.values.values()];
  }

  clone(): SysctlTable {
    const c = new SysctlTable(this.boot);
    for (const [k, v] of this.values) c.values.set(k, v);
    for (const [k, v] of this.persistent) c.persistent.set(k, v);
    return c;
  }
}
