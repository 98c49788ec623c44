// The export bundle as plain text files, before anything touches a disk: the
// writer (electron/main/services/exportWriter/) puts exactly these bytes into a
// folder or onto a host.

import type { NetfilterState } from '../netfilter/netfilterState.ts';

export interface BundleFile {
  /** Relative path with '/' separators, FAT/exFAT-safe (fatFileName.ts). */
  path: string;
  text: string;
  /** One line for MANIFEST and README.txt: what the file is and who reads it. */
  description: string;
}

export interface ExportBundle {
  variantName: string;
  files: BundleFile[];
  /** Things the admin must know that do not stop the export (shown by the CLI and the app). */
  warnings: string[];
}

/** A sysctl as the host should have it after the timeline, with who set it last. */
export interface EffectiveSysctl {
  /** Dotted key as sysctl(8) prints it: net.ipv4.ip_forward, net.ipv4.conf.eth1.rp_filter. */
  key: string;
  value: string;
  /** "SuSEfirewall2 start (FW_ROUTE=yes)", "lab: host sysctls". */
  setBy?: string;
}

/**
 * The host as the simulator evaluates it at the end of the timeline: the kernel's
 * packet-filter state, the sysctls, and which networks run (in start order). The bundle
 * makes the real host equal to this.
 */
export interface ExportEffectiveHost {
  state: NetfilterState;
  sysctls: EffectiveSysctl[];
  /** Ids of the lab's networks running at the end of the timeline, in start order. */
  runningNetworkIds: string[];
  /** Notes of the fold worth repeating to the admin (e.g. an order libvirt does not fix). */
  notes?: string[];
}
