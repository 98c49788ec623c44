// The sample project the app opens on first start and `virtwall sample FILE`
// writes: the story's KVM host (story.md), an openSUSE Leap 42.3 box with
// libvirt network `deb` on virbr3 (192.168.10.1/24) and the guest `kali`, in the
// four setups the admin tried. Only data: which rules each layer generates, and
// in which order, is the layers' job (issue 4); this file says what is
// configured and what happens on the host's timeline.
//
// Deliberate differences from the story:
// - the DHCP range is .10–.254 of 192.168.10.0/24; the story's range ends at
//   192.168.50.254, which libvirt refuses (the original XML is an import test);
// - the upstream gateway masquerades 192.168.10.0/24 as well as its LAN: the
//   story's guest reached the internet once forwarding worked, without NAT on
//   the KVM host, so the admin's gateway must have NATed the guest subnet.

import { cloneJson } from '../json/cloneJson.ts';
import { defaultLab } from './defaultLab.ts';
import { sequentialIds } from './labIds.ts';
import type { Lab, Layer, TimelineEvent } from './labModel.ts';
import { OWN_SCRIPT_PATH, SAMPLE_OWN_SCRIPT, SAMPLE_SUSEFIREWALL2_SYSCONFIG, SUSEFIREWALL2_SYSCONFIG_PATH } from './sampleLabFiles.ts';

export const SAMPLE_PROJECT_NAME = 'KVM lab — openSUSE with SuSEfirewall2';

export const SAMPLE_VARIANT_NAMES = {
  isolatedSuSEfirewall2: 'isolated + SuSEfirewall2',
  routedSuSEfirewall2: 'routed + SuSEfirewall2',
  isolatedOwnScript: 'isolated + own iptables script',
  nat: 'NAT',
} as const;

export const SAMPLE_IDS = {
  network: 'net-deb',
  guest: 'guest-kali',
  suseFirewall2: 'layer-susefirewall2',
  ownScript: 'layer-fw-sh',
} as const;

type ForwardMode = 'isolated' | 'route' | 'nat';

/** The story's network XML (story.md), with the forward mode of the variant and the range fixed. */
export function sampleNetworkXml(mode: ForwardMode): string {
  const forward = mode === 'isolated' ? '' : `  <forward mode='${mode}'/>\n`;
  return `<network>
  <name>deb</name>
  <uuid>8a344aae-20c0-436b-b2a6-daf4d1d10e90</uuid>
${forward}  <bridge name='virbr3' stp='on' delay='0'/>
  <mac address='52:54:00:bf:4f:73'/>
  <domain name='kali'/>
  <ip address='192.168.10.1' netmask='255.255.255.0'>
    <dhcp>
      <range start='192.168.10.10' end='192.168.10.254'/>
    </dhcp>
  </ip>
</network>
`;
}

// Leap 42.3 shipped SuSEfirewall2 3.6.312 (3.6.312.333 from the SLE12-SP3
// branch, firewall-layers.md §1 fact 1). The observed failure of the isolated
// setup is what happens when SuSEfirewall2 HUPs libvirtd after its start
// (§1 fact 19), which the layer generator must therefore assume for this host.
const suseFirewall2Layer: Layer = {
  id: SAMPLE_IDS.suseFirewall2,
  kind: 'susefirewall2',
  label: 'SuSEfirewall2',
  version: '3.6.312',
  files: { [SUSEFIREWALL2_SYSCONFIG_PATH]: SAMPLE_SUSEFIREWALL2_SYSCONFIG },
  settings: {},
};

const ownScriptLayer: Layer = {
  id: SAMPLE_IDS.ownScript,
  kind: 'own-script',
  label: 'own iptables script (fw.service)',
  files: { [OWN_SCRIPT_PATH]: SAMPLE_OWN_SCRIPT },
  settings: { format: 'sh' },
};

const libvirtdStart: TimelineEvent = { id: 'event-boot-libvirtd', kind: 'libvirtd-start', phase: 'boot', label: 'boot: libvirtd.service' };
const networkAutostart: TimelineEvent = {
  id: 'event-boot-net-deb',
  kind: 'network-start',
  networkId: SAMPLE_IDS.network,
  params: { autostart: true },
  phase: 'boot',
  label: 'boot: libvirt autostarts network deb',
};

// SuSEfirewall2_init.service runs before the network (phase 1: close everything),
// SuSEfirewall2.service after network.target; libvirtd is only After=network.target,
// so in this boot it happens to start first (firewall-layers.md §1 fact 3).
const suseFirewall2Boot: TimelineEvent[] = [
  { id: 'event-boot-susefirewall2-init', kind: 'layer-start', layerId: SAMPLE_IDS.suseFirewall2, params: { phase: 'init' }, phase: 'boot', label: 'boot: SuSEfirewall2_init.service' },
  libvirtdStart,
  networkAutostart,
  { id: 'event-boot-susefirewall2', kind: 'layer-start', layerId: SAMPLE_IDS.suseFirewall2, phase: 'boot', label: 'boot: SuSEfirewall2.service' },
];

const ownScriptTimeline: TimelineEvent[] = [
  libvirtdStart,
  networkAutostart,
  { id: 'event-boot-fw-sh', kind: 'layer-start', layerId: SAMPLE_IDS.ownScript, phase: 'boot', label: 'boot: fw.service runs /usr/local/sbin/fw.sh' },
  // libvirtd.service: ExecReload=/bin/kill -HUP $MAINPID; the HUP re-inserts
  // libvirt's rules on top (firewall-layers.md §0 fact 7) — the moment it breaks.
  { id: 'event-later-libvirtd-sighup', kind: 'libvirtd-sighup', phase: 'later', label: 'logrotate / admin reloads libvirtd' },
];

function storyLab(mode: ForwardMode, firewall: 'susefirewall2' | 'own-script', notes: string): Lab {
  const lab = defaultLab(sequentialIds(), {
    iptablesBackend: 'legacy',
    // Leap 42.3 shipped libvirt 3.3: the < 5.1 band, rules straight in INPUT/FORWARD/OUTPUT.
    libvirtVersion: '3.3',
    libvirtBackend: 'iptables',
    returnRoutes: ['192.168.10.0/24'],
  });
  lab.networks = [{ id: SAMPLE_IDS.network, xml: sampleNetworkXml(mode), autostart: true }];
  lab.guests = [{ id: SAMPLE_IDS.guest, name: 'kali', networkId: SAMPLE_IDS.network, address: '192.168.10.20', listens: [] }];
  lab.layers = firewall === 'susefirewall2' ? [suseFirewall2Layer] : [ownScriptLayer];
  lab.events = firewall === 'susefirewall2' ? suseFirewall2Boot : ownScriptTimeline;
  lab.gateway.masquerade = ['192.168.90.0/24', '192.168.10.0/24'];
  lab.notes = notes;
  // Each variant gets its own copy: nothing is shared between the labs.
  return cloneJson(lab);
}

export function sampleProjectVariants(): { name: string; lab: Lab }[] {
  return [
    {
      name: SAMPLE_VARIANT_NAMES.isolatedSuSEfirewall2,
      lab: storyLab(
        'isolated',
        'susefirewall2',
        'story.md step 2: isolated network under SuSEfirewall2 with FW_FORWARD between 192.168.90.0/24 and 192.168.10.0/24. ' +
          "libvirt's REJECT rules for virbr3 end up above SuSEfirewall2's rules, so kali's ping to 192.168.90.1 gets " +
          'Destination Port Unreachable from 192.168.10.1.',
      ),
    },
    {
      name: SAMPLE_VARIANT_NAMES.routedSuSEfirewall2,
      lab: storyLab(
        'route',
        'susefirewall2',
        'story.md step 3: the network recreated as "Routed network". libvirt accepts the guest subnet above its REJECTs; ' +
          'the gateway routes 192.168.10.0/24 back via 192.168.90.10.',
      ),
    },
    {
      name: SAMPLE_VARIANT_NAMES.isolatedOwnScript,
      lab: storyLab(
        'isolated',
        'own-script',
        "story.md step 1: fw.sh flushes libvirt's rules after libvirtd started, so forwarding works — until libvirtd " +
          'is reloaded (the later event) and re-inserts its REJECTs.',
      ),
    },
    {
      name: SAMPLE_VARIANT_NAMES.nat,
      lab: storyLab(
        'nat',
        'susefirewall2',
        'NAT instead of routing: libvirt masquerades 192.168.10.0/24 behind 192.168.90.10, so the gateway needs no return route.',
      ),
    },
  ];
}
