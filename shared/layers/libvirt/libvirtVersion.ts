// Which libvirt behaviour a lab's host gets, from host.libvirt.version and
// firewall_backend (libvirt.md §1, §5):
//   < 5.1     rules straight in INPUT/FORWARD/OUTPUT and nat/mangle POSTROUTING
//             (from memory of upstream history, not captured: libvirt.md §5)
//   5.1–10.3  private chains LIBVIRT_INP/OUT/FWO/FWI/FWX/PRT, iptables only
//   ≥ 10.4    firewall_backend = iptables | nftables (Debian 13 defaults to
//             iptables, upstream and Fedora to nftables; the lab says which);
//             removal commands stored in the status XML (fwRemoval) and replayed
//             in reverse, nft rules removed by handle.
// 9.0 calls /usr/sbin/iptables by absolute path; 11.3 calls tools by bare name
// (commands.txt of v9-iptables and v11-*). The failure wording differs too
// (fixtures */flush-all-delete-chains/transcript.txt, nft-flush-ruleset-destroy-start).

import { compareVersions } from '../layerActions.ts';

export type LibvirtChainLayout = 'builtin-chains' | 'private-chains';

export interface LibvirtFlavour {
  version: string;
  layout: LibvirtChainLayout;
  backend: 'iptables' | 'nftables';
  /** ≥ 10.4: removal = the stored list of what was added, in reverse (nft: by handle). */
  storedRemoval: boolean;
  /** '/usr/sbin/' (9.0) or '' (11.x) in front of iptables/ip6tables, as the debug log shows. */
  toolPrefix: string;
  /** Why the backend is what it is, when the lab's setting was not taken as is. */
  backendNote?: string;
}

export function libvirtFlavour(version: string, backendSetting: 'iptables' | 'nftables'): LibvirtFlavour {
  const v = version.trim() || '9.0';
  const modern = compareVersions(v, '10.4') >= 0;
  const layout: LibvirtChainLayout = compareVersions(v, '5.1') >= 0 ? 'private-chains' : 'builtin-chains';
  const flavour: LibvirtFlavour = {
    version: v,
    layout,
    backend: modern ? backendSetting : 'iptables',
    storedRemoval: modern,
    toolPrefix: modern ? '' : '/usr/sbin/',
  };
  if (!modern && backendSetting === 'nftables') flavour.backendNote = `libvirt ${v} has no nftables backend (firewall_backend arrived in 10.4); it uses iptables`;
  return flavour;
}

/** "libvirt 9.0 · network deb (isolated)" */
export function libvirtLayerLabel(flavour: LibvirtFlavour, networkName: string, modeLabel: string): string {
  return `libvirt ${flavour.version} · network ${networkName} (${modeLabel})`;
}

/** The message `virsh net-start` prints when one of libvirt's firewall commands fails. */
export function libvirtFailureMessage(flavour: LibvirtFlavour, commandText: string, toolMessage: string): string {
  if (!flavour.storedRemoval) return `internal error: Failed to apply firewall rules ${commandText}: ${toolMessage}`;
  if (commandText.startsWith('nft ')) return `internal error: Failed to apply firewall command '${commandText}': ${toolMessage}`;
  return `internal error: Failed to run firewall command ${commandText}: ${toolMessage}`;
}
