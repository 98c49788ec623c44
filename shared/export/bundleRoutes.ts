// routes/host-routes.sh: the KVM host's configured routes as `ip route`
// commands (the connected routes of its addresses and libvirt's own network
// routes are made by the kernel and libvirt, not listed). Every field is
// checked first (kernelNames.ts), so a route that reaches the script is made
// of addresses, numbers and valid interface names only.

import type { LabRoute } from '../lab/labModel.ts';
import type { BundleFile } from './bundleTypes.ts';
import { ExportError } from './exportError.ts';
import { addressProblem, interfaceNameProblem, isIpv6, routeDestinationProblem } from './kernelNames.ts';
import { commentText, shQuote } from './shellQuote.ts';

export interface ExportedRoute {
  /** ['-6'] for IPv6, [] otherwise. */
  familyFlag: string[];
  destination: string;
  /** The words after `ip [-6] route replace`. */
  spec: string[];
  text: string;
}

export function exportedRoutes(routes: readonly LabRoute[]): ExportedRoute[] {
  const errors: string[] = [];
  const out: ExportedRoute[] = [];
  routes.forEach((r, i) => {
    const at = `host route ${i + 1} (${commentText(r.destination)})`;
    const problems: string[] = [];
    const dest = routeDestinationProblem(r.destination);
    if (dest) problems.push(`destination ${JSON.stringify(r.destination)} ${dest}`);
    if (r.via !== undefined) {
      const via = addressProblem(r.via);
      if (via) problems.push(`via ${JSON.stringify(r.via)} ${via}`);
    }
    if (r.dev !== undefined) {
      const dev = interfaceNameProblem(r.dev);
      if (dev) problems.push(`dev ${JSON.stringify(r.dev)} ${dev}`);
    }
    if (r.via === undefined && r.dev === undefined) problems.push('has neither via nor dev');
    if (r.metric !== undefined && !(Number.isInteger(r.metric) && r.metric >= 0 && r.metric <= 0xffffffff)) problems.push(`metric ${r.metric} is not a whole number 0…4294967295`);
    if (problems.length) {
      errors.push(`${at}: ${problems.join('; ')}`);
      return;
    }
    const v6 = isIpv6(r.destination) || (r.via !== undefined && isIpv6(r.via));
    const spec = [r.destination];
    if (r.via !== undefined) spec.push('via', r.via);
    if (r.dev !== undefined) spec.push('dev', r.dev);
    if (r.metric !== undefined) spec.push('metric', String(r.metric));
    const familyFlag = v6 ? ['-6'] : [];
    out.push({ familyFlag, destination: r.destination, spec, text: ['ip', ...familyFlag, 'route', 'replace', ...spec].join(' ') });
  });
  if (errors.length) throw new ExportError(errors);
  return out;
}

export function routesFile(routes: readonly ExportedRoute[], variantName: string): BundleFile {
  const lines = [
    '#!/bin/sh',
    `# Routes of the KVM host in virtwall variant ${commentText(variantName)}. apply.sh runs these (and undoes them on`,
    '# rollback); run by hand with: sh routes/host-routes.sh. Persist them in the distribution\'s network',
    '# configuration (ifcfg-*/ifroute-*, /etc/network/interfaces, NetworkManager, netplan).',
    'set -e',
    ...routes.map((r) => ['ip', ...r.familyFlag, 'route', 'replace', ...r.spec.map(shQuote)].join(' ')),
  ];
  if (routes.length === 0) lines.push(': # the lab configures no routes besides the connected ones');
  return { path: 'routes/host-routes.sh', text: `${lines.join('\n')}\n`, description: 'the host\'s configured routes as ip route commands' };
}
