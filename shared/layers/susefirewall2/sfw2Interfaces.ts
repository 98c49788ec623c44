// Which interface is in which zone when SuSEfirewall2 starts — the part that
// decides whether a libvirt bridge gets a FORWARD jump at all. Follows the
// script's parse_interfaces / evaluateinterfaces / check_interfaces_unique /
// autodetect_interfaces / remove_unused_zones (openSUSE/susefirewall2):
//  - FW_DEV_<ZONE> names that do not exist in /sys/class/net at that moment are
//    skipped (getdevinfo fails → `continue`): a bridge listed there but created
//    later gets no rule.
//  - `any` makes the zone the default zone, `auto` is ignored, alias names with
//    `:` are ignored.
//  - FW_AUTODETECT_INTERFACES: every other present interface except lo/sit0 goes
//    to its ifcfg FW_ZONE= or the default zone. The script first rewrites the
//    name with ${d//[^A-Za-z0-9]/_}, so `virbr3-nic` is put into the zone as
//    `virbr3_nic` and its jump never matches (visible in the seed's iptables -S:
//    `-A FORWARD -i virbr3_nic -j forward_ext`).

import type { Sfw2Config } from './sfw2Config.ts';

export interface Sfw2ZoneAssignment {
  /** Active zones in the script's order (int ext dmz, then FW_ZONES), unused ones removed. */
  zones: string[];
  /** Devices per active zone, in dispatch order. */
  devices: Record<string, string[]>;
  /** Default zone ('' when FW_ZONE_DEFAULT=no). */
  defaultZone: string;
  /** Why each device is in its zone (for provenance). */
  reasons: Record<string, string>;
  warnings: string[];
}

export interface Sfw2InterfaceEnvironment {
  /** Interfaces in /sys/class/net when the script runs. */
  interfaces: string[];
  /** FW_ZONE= from /etc/sysconfig/network/ifcfg-IFACE, when set. */
  ifcfgZones?: Record<string, string>;
}

const upper = (zone: string): string => (['int', 'ext', 'dmz'].includes(zone) ? zone.toUpperCase() : zone);

export function assignZones(config: Sfw2Config, env: Sfw2InterfaceEnvironment): Sfw2ZoneAssignment {
  const present = new Set(env.interfaces);
  const warnings: string[] = [];
  const reasons: Record<string, string> = {};
  const devices: Record<string, string[]> = {};
  let defaultZone = config.zoneDefault === 'no' ? '' : config.zoneDefault;
  const explicitDefault = config.zoneDefault !== '';

  for (const zone of config.zones) {
    const list: string[] = [];
    for (const e of config.devices[zone] ?? []) {
      const dev = e.text;
      if (dev === 'any') {
        if (explicitDefault || (defaultZone && defaultZone !== zone)) warnings.push(`zone '${defaultZone}' is already default, ignoring 'any' in FW_DEV_${upper(zone)}`);
        else defaultZone = zone;
        continue;
      }
      if (dev === 'auto') {
        warnings.push(`ignoring deprecated interface 'auto' in FW_DEV_${upper(zone)}`);
        continue;
      }
      if (!present.has(dev)) {
        warnings.push(`FW_DEV_${upper(zone)}: interface ${dev} does not exist when SuSEfirewall2 runs; no rules for it`);
        continue;
      }
      if (dev.includes(':')) continue;
      list.push(dev);
      reasons[dev] = `FW_DEV_${upper(zone)} entry ${e.index}: ${dev}`;
    }
    devices[zone] = list;
  }
  if (!defaultZone && config.zoneDefault !== 'no') defaultZone = 'ext';

  // check_interfaces_unique: the first zone keeps a device listed twice.
  const owner = new Map<string, string>();
  for (const zone of config.zones) {
    devices[zone] = devices[zone].filter((d) => {
      const key = d.replace(/[^A-Za-z0-9]/g, '_');
      const z = owner.get(key);
      if (z) {
        warnings.push(`${d} already in zone '${z}' but also configured for '${zone}'`);
        return false;
      }
      owner.set(key, zone);
      return true;
    });
  }

  if (config.autodetectInterfaces) {
    for (const iface of [...env.interfaces].sort()) {
      if (iface === 'lo' || iface === 'sit0') continue;
      const name = iface.replace(/[^A-Za-z0-9]/g, '_');
      if (owner.has(name)) continue;
      const ifcfgZone = env.ifcfgZones?.[iface];
      let zone = '';
      if (ifcfgZone) {
        if (config.zones.includes(ifcfgZone)) zone = ifcfgZone;
        else warnings.push(`invalid zone '${ifcfgZone}' specified for interface '${iface}'`);
      } else if (defaultZone) zone = defaultZone;
      if (!zone) {
        if (!ifcfgZone) warnings.push(`no firewall zone defined for interface ${iface}`);
        continue;
      }
      devices[zone].push(name);
      owner.set(name, zone);
      reasons[name] = ifcfgZone
        ? `FW_AUTODETECT_INTERFACES: ${iface} present at start, FW_ZONE=${ifcfgZone} in its ifcfg`
        : `FW_AUTODETECT_INTERFACES: ${iface} present at start, put into the default zone '${zone}'`;
      if (name !== iface) {
        warnings.push(`autodetected interface ${iface} is used as '${name}' (SuSEfirewall2 replaces non-alphanumerics), so its rules never match`);
      }
    }
  }

  // remove_unused_zones keeps a zone with devices, the default zone and the FW_IPSEC_TRUST zone.
  const zones = config.zones.filter((z) => devices[z].length > 0 || z === defaultZone || z === config.ipsecTrust);
  for (const z of Object.keys(devices)) if (!zones.includes(z)) delete devices[z];
  if (zones.every((z) => devices[z].length === 0)) warnings.push('no interface active');
  return { zones, devices, defaultZone, reasons, warnings };
}
