// README.txt (what each file is, the order to apply, the assumptions) and
// MANIFEST / SHA256SUMS (what the bundle holds; `sha256sum -c SHA256SUMS`
// checks a copy, and apply.sh does so before anything else).

import type { Lab } from '../lab/labModel.ts';
import type { BundleFile } from './bundleTypes.ts';
import type { ReturnRouteNeed } from './gatewayInstructions.ts';
import { sha256Hex } from './sha256.ts';
import { commentText } from './shellQuote.ts';
import { utf8Bytes } from './utf8.ts';

export interface ReadmeInput {
  lab: Lab;
  variantName: string;
  projectName?: string;
  files: readonly BundleFile[];
  layerSteps: readonly string[];
  returnRoutes: readonly ReturnRouteNeed[];
  warnings: readonly string[];
  notes: readonly string[];
  confirmSeconds: number;
}

export function readmeFile(input: ReadmeInput): BundleFile {
  const { lab } = input;
  const title = `virtwall export — variant ${commentText(input.variantName)}${input.projectName ? ` of project ${commentText(input.projectName)}` : ''}`;
  const out: string[] = [title, '='.repeat(Math.min(title.length, 78)), ''];
  out.push(
    `This folder makes the KVM host ${commentText(lab.host.name)} match the variant as virtwall simulated it: the libvirt`,
    'networks, the effective firewall rules of every layer (libvirt\'s own rules included), the sysctls and the',
    'routes. Nothing here needs exec bits: run the scripts with sh.',
    '',
    'Order',
    '-----',
    '1. Read routes/GATEWAY.txt and arrange what it says with the gateway\'s admin (the simulation assumed it).',
    '2. Copy the folder to the host (or use `virtwall export … --to ssh://…`) and, as root, in this folder:',
    '     sh apply.sh --check-only',
    '   It checks the bundle against SHA256SUMS, every network with virt-xml-validate and libvirt, every',
    '   iptables file with iptables-restore --test and the nft script with nft -c -f. Nothing changes.',
    '3.   sh apply.sh',
    '   It saves the current state (rules, nft tables, sysctls, routes, network definitions), applies, and',
    `   rolls everything back unless you type "yes" within ${input.confirmSeconds} seconds (or run`,
    '   `sh apply.sh --confirm STATE_DIR` from a second SSH session). A dropped session rolls back too.',
    '   Later: `sh apply.sh --rollback STATE_DIR` restores the saved state.',
    '4. Make it permanent (apply.sh changes the running system; at the next boot each tool rebuilds its rules',
    '   from its own configuration, so install that too):',
    ...input.layerSteps.map((s) => `   ${s}`),
    '   - copy sysctl.d/90-virtwall.conf to /etc/sysctl.d/',
    '   - put the routes of routes/host-routes.sh into the distribution\'s network configuration',
    '   - the network definitions are already permanent (virsh net-define) with autostart as in the lab',
    '',
    'Assumptions of the simulation',
    '-----------------------------',
    `- The host's iptables command uses the ${lab.host.iptablesBackend === 'nft' ? 'nf_tables' : 'legacy'} kernel API (iptables -V says "(${lab.host.iptablesBackend === 'nft' ? 'nf_tables' : 'legacy'})").`,
    `- libvirt ${commentText(lab.host.libvirt.version)} with firewall_backend ${lab.host.libvirt.backend}: libvirt's rules in firewall/ are the ones this version writes.`,
    '- The host boots through the event timeline of the lab; firewall/ holds the rules at the end of it.',
    `- The upstream gateway is ${commentText(lab.gateway.address)}.`,
  );
  for (const r of input.returnRoutes) {
    out.push(`- The gateway ${r.assumed ? 'HAS' : 'does NOT have'} a route back to ${r.subnet} (network ${commentText(r.network)}) via ${r.via ?? 'the host'}.`);
  }
  out.push('- apply.sh replaces only the iptables tables and nft tables present in firewall/; others stay (its check', '  step lists nft tables the simulation did not know).');
  if (input.notes.length) out.push('', 'Notes from the simulation', '-------------------------', ...input.notes.map((n) => `- ${commentText(n)}`));
  if (input.warnings.length) out.push('', 'Warnings', '--------', ...input.warnings.map((w) => `- ${commentText(w)}`));
  out.push('', 'Files', '-----');
  for (const f of input.files) out.push(`${f.path}`, `    ${commentText(f.description)}`);
  out.push('MANIFEST', '    every file with its size', 'SHA256SUMS', '    sha256sum -c SHA256SUMS checks the copy');
  return { path: 'README.txt', text: `${out.join('\n')}\n`, description: 'what each file is, the order to apply, the assumptions' };
}

export function manifestFile(files: readonly BundleFile[], variantName: string): BundleFile {
  const lines = [`# virtwall export bundle of variant ${commentText(variantName)}: PATH<TAB>BYTES<TAB>WHAT`];
  for (const f of files) lines.push(`${f.path}\t${utf8Bytes(f.text).length}\t${commentText(f.description)}`);
  lines.push('SHA256SUMS\t-\tSHA-256 of every file above and of this MANIFEST');
  return { path: 'MANIFEST', text: `${lines.join('\n')}\n`, description: 'every file of the bundle with its size' };
}

/** `sha256sum` text mode lines ("HASH  PATH"), as `sha256sum -c` reads them. */
export function sha256sumsFile(files: readonly BundleFile[]): BundleFile {
  const lines = files.map((f) => `${sha256Hex(utf8Bytes(f.text))}  ${f.path}`);
  return { path: 'SHA256SUMS', text: `${lines.join('\n')}\n`, description: 'SHA-256 of every other file (sha256sum -c SHA256SUMS)' };
}
