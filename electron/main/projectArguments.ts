// A `.virtwall` file given on the command line: by the desktop's file
// association (`virtwall /path/lab.virtwall`), or forwarded from a second
// instance. Electron's own switches and the app path are skipped.

import { resolve } from 'node:path';

export function projectFileInArgs(argv: readonly string[], cwd: string): string | null {
  for (const arg of argv.slice(1)) {
    if (arg.startsWith('-')) continue;
    if (arg.toLowerCase().endsWith('.virtwall')) return resolve(cwd, arg);
  }
  return null;
}
