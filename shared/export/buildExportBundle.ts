// The export bundle of one variant, as text (issue 7 §1): networks, the
// effective firewall, sysctls, routes, the gateway's instructions, each
// layer's own configuration, apply.sh, README.txt, MANIFEST and SHA256SUMS.
// Pure and deterministic: the uuid/MAC libvirt would generate for a network
// that has none are injected (the writer passes random ones).
//
// Every value from the lab that reaches a script is validated (kernelNames.ts)
// and quoted (shellQuote.ts); a lab that fails validation gives ExportError
// with every problem named, and no bundle.

import type { Lab } from '../lab/labModel.ts';
import type { CanonicalOptions } from '../libvirt/canonicalNetworkXml.ts';
import { applyScript } from './applyScript.ts';
import { firewallFiles } from './bundleFirewall.ts';
import { layerFiles } from './bundleLayerFiles.ts';
import { networkFiles } from './bundleNetworks.ts';
import { manifestFile, readmeFile, sha256sumsFile } from './bundleReadme.ts';
import { exportedRoutes, routesFile } from './bundleRoutes.ts';
import { exportedSysctls, sysctlFile } from './bundleSysctl.ts';
import type { BundleFile, ExportBundle, ExportEffectiveHost } from './bundleTypes.ts';
import { ExportError } from './exportError.ts';
import { FileNamer } from './fileNamer.ts';
import { gatewayFile, returnRouteNeeds } from './gatewayInstructions.ts';

export interface BuildBundleOptions extends Omit<CanonicalOptions, 'usedBridgeNames'> {
  variantName: string;
  projectName?: string;
  confirmSeconds?: number;
}

export function buildExportBundle(lab: Lab, effective: ExportEffectiveHost, options: BuildBundleOptions): ExportBundle {
  const namer = new FileNamer();
  for (const fixed of ['README.txt', 'apply.sh', 'MANIFEST', 'SHA256SUMS', 'sysctl.d/90-virtwall.conf', 'routes/host-routes.sh', 'routes/GATEWAY.txt']) namer.reserve(fixed);
  const confirmSeconds = options.confirmSeconds ?? 30;

  // Collect every problem before giving up, so the user fixes them in one go.
  const problems: string[] = [];
  const attempt = <T>(f: () => T): T | null => {
    try {
      return f();
    } catch (e) {
      if (e instanceof ExportError) {
        problems.push(...e.problems);
        return null;
      }
      throw e;
    }
  };
  const nets = attempt(() => networkFiles(lab, effective.runningNetworkIds, { newUuid: options.newUuid, newMac: options.newMac }, namer));
  const sysctls = attempt(() => exportedSysctls(effective.sysctls));
  const routes = attempt(() => exportedRoutes(lab.host.routes));
  const layers = attempt(() => layerFiles(lab.layers, namer));
  const firewall = firewallFiles(effective.state, options.variantName);
  const script = nets && sysctls && routes
    ? attempt(() => applyScript({ variantName: options.variantName, projectName: options.projectName, networks: nets.networks, sysctls, routes, firewall: firewall.rules, confirmSeconds }))
    : null;
  if (problems.length || !nets || !sysctls || !routes || !layers || script === null) throw new ExportError(problems);

  const warnings = [...nets.warnings, ...layers.warnings];
  const content: BundleFile[] = [
    { path: 'apply.sh', text: script, description: 'checks, saves the current state, applies, rolls back unless confirmed (sh apply.sh --help)' },
    ...nets.files,
    ...firewall.files,
    sysctlFile(sysctls, options.variantName),
    routesFile(routes, options.variantName),
    gatewayFile(lab, nets.networks, options.variantName),
    ...layers.files,
  ];
  const readme = readmeFile({
    lab,
    variantName: options.variantName,
    projectName: options.projectName,
    files: content,
    layerSteps: layers.readme,
    returnRoutes: returnRouteNeeds(lab, nets.networks),
    warnings,
    notes: effective.notes ?? [],
    confirmSeconds,
  });
  const listed = [readme, ...content];
  const manifest = manifestFile(listed, options.variantName);
  const sums = sha256sumsFile([...listed, manifest]);
  return { variantName: options.variantName, files: [...listed, manifest, sums], warnings };
}
