// Where the real ufw and firewalld live: the Debian 12 (bookworm) chroot made
// by scripts/layer-tools-root.sh (VIRTWALL_LAYERS_ROOT overrides the path) and
// the Debian 13 (trixie) one for firewalld 2.x (VIRTWALL_LAYERS_TRIXIE_ROOT).
// The tools only ever run chrooted inside a throwaway network namespace and a
// private mount namespace (toolSession.ts), never on the host. When the chroot
// or root is missing the suites skip with the reason — under CI=true they fail.

import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const LAYERS_ROOT = process.env.VIRTWALL_LAYERS_ROOT ?? '/var/tmp/virtwall-layers-root';
/** Debian 13 (trixie) root: firewalld 2.3.1 (SUITE=trixie of the same script). */
export const LAYERS_TRIXIE_ROOT = process.env.VIRTWALL_LAYERS_TRIXIE_ROOT ?? '/var/tmp/virtwall-layers-trixie-root';

export interface ToolRoot {
  label: string;
  root: string;
  /** How to make it. */
  make: string;
  firewalld: string;
}

export const TOOL_ROOTS: ToolRoot[] = [
  { label: 'Debian 12', root: LAYERS_ROOT, make: 'scripts/layer-tools-root.sh', firewalld: '1.3.3' },
  { label: 'Debian 13', root: LAYERS_TRIXIE_ROOT, make: 'scripts/layer-tools-root.sh "" trixie', firewalld: '2.3.1' },
];

/** null when the suite can run; otherwise why not (and under CI=true: throws). */
export function toolRootSkipReason(suite: string, binaries: string[], root: string = LAYERS_ROOT, make = 'scripts/layer-tools-root.sh'): string | null {
  let reason: string | null = null;
  if (process.getuid?.() !== 0) reason = 'needs root (network and mount namespaces)';
  else {
    for (const tool of ['ip', 'unshare', 'chroot', 'mount']) {
      if (!['/usr/bin', '/usr/sbin', '/bin', '/sbin'].some((d) => existsSync(join(d, tool)))) reason ??= `${tool} missing on the host`;
    }
    const missing = binaries.filter((b) => !existsSync(join(root, b)));
    if (missing.length > 0) reason ??= `no layer tools chroot at ${root} (${missing.join(', ')} missing; make it with ${make})`;
  }
  if (reason && process.env.CI === 'true') throw new Error(`${suite} cannot run in CI: ${reason}`);
  if (reason) process.stdout.write(`${suite} skipped: ${reason}\n`);
  return reason;
}
