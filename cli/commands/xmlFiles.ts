// Reading network XML files for the CLI, and printing problems the way
// compilers do (`file:line:col: severity: message`). A missing or unreadable
// file becomes a problem of that file, never an exception.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { NetworkProblem } from '../../shared/libvirt/networkProblem.ts';

export type ReadResult = { ok: true; text: string } | { ok: false; problem: NetworkProblem };

export function readNetworkFile(file: string, cwd: string): ReadResult {
  try {
    return { ok: true, text: readFileSync(resolve(cwd, file), 'utf8') };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : String((err as Error).message);
    return { ok: false, problem: { severity: 'error', message: `cannot read ${file}: ${reason}` } };
  }
}

export function locationPrefix(file: string, p: NetworkProblem): string {
  return p.line !== undefined ? `${file}:${p.line}:${p.column ?? 1}` : file;
}

/** `file:line:col: error: message` (severity included, as gcc/tsc print it). */
export function formatProblemLine(file: string, p: NetworkProblem): string {
  return `${locationPrefix(file, p)}: ${p.severity}: ${p.message}`;
}

/** The stable JSON shape of a problem: severity, message, then line/column/path when known. */
export function problemJson(p: NetworkProblem): { severity: 'error' | 'warning'; message: string; line?: number; column?: number; path?: string } {
  const out: { severity: 'error' | 'warning'; message: string; line?: number; column?: number; path?: string } = { severity: p.severity, message: p.message };
  if (p.line !== undefined) {
    out.line = p.line;
    out.column = p.column ?? 1;
  }
  if (p.path !== undefined) out.path = p.path;
  return out;
}
