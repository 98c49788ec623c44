// Where the real ufw and firewalld live: the Debian 12 (bookworm) chroot made
// by scripts/layer-tools-root.sh (VIRTWALL_LAYERS_ROOT overrides the path).
// The tools only ever run chrooted inside a throwaway network namespace and a
// private mount namespace (toolSession.ts), never on the host. When the chroot
// or root is missing the suites skip with the reason — under CI=true they fail.

import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const LAYERS_ROOT = process.env.VIRTWALL_LAYERS_ROOT ?? '/var/tmp/virtwall-layers-root';

/** null when the suite can run; otherwise why not (and under CI=true: throws). */
export function toolRootSkipReason(suite: string, binaries: string[]): string | null {
  let reason: string | null = null;
  if (process.getuid?.() !== 0) reason = 'needs root (network and mount namespaces)';
  else {
    for (const tool of ['ip', 'unshare', 'chroot', 'mount']) {
      if (!['/usr/bin', '/usr/sbin', '/bin', '/sbin'].some((d) => existsSync(join(d, tool)))) reason ??= `${tool} missing on the host`;
    }
    const missing = binaries.filter((b) => !existsSync(join(LAYERS_ROOT, b)));
    if (missing.length > 0) reason ??= `no layer tools chroot at ${LAYERS_ROOT} (${missing.join(', ')} missing; make it with scripts/layer-tools-root.sh)`;
  }
  if (reason && process.env.CI === 'true') throw new Error(`${suite} cannot run in CI: ${reason}`);
  if (reason) process.stdout.write(`${suite} skipped: ${reason}\n`);
  return reason;
}
