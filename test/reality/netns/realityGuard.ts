// Whether a root-only reality suite can run here. Elsewhere it skips with a
// one-line reason — except under CI (process.env.CI === 'true'), where a
// missing prerequisite is a failure, never a silent skip (common.md).

import { execFileSync } from 'node:child_process';

function hasTool(tool: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** null when the suite can run; otherwise why not. Throws under CI. */
export function realitySkipReason(tools: string[]): string | null {
  let reason: string | null = null;
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) reason = 'needs root (network namespaces)';
  else {
    const missing = tools.filter((t) => !hasTool(t));
    if (missing.length > 0) reason = `missing tools: ${missing.join(', ')}`;
  }
  if (reason && process.env.CI === 'true') throw new Error(`reality suite cannot run in CI: ${reason}`);
  if (reason) process.stdout.write(`reality suite skipped: ${reason}\n`);
  return reason;
}
