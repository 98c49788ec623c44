// Where tests find the libvirt ground-truth fixtures: the vendored copy of the
// team's captures in test/fixtures/libvirt (test/fixtures/README.md), so a
// fresh clone runs every comparison. Tests walk the folders (and summary.tsv)
// instead of listing cases, so a newly captured case is covered at once.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { LIBVIRT_FIXTURES } from '../fixtures/fixturePaths.ts';

export const FIXTURES = LIBVIRT_FIXTURES;

export function fixturePath(...parts: string[]): string {
  return join(FIXTURES, ...parts);
}

export function readFixture(...parts: string[]): string {
  return readFileSync(fixturePath(...parts), 'utf8');
}

export function fixtureDirs(...parts: string[]): string[] {
  const dir = fixturePath(...parts);
  return readdirSync(dir)
    .filter((name) => statSync(join(dir, name)).isDirectory())
    .sort();
}

/** Every network definition given to `virsh net-define` in the captures (path relative to FIXTURES). */
export function allNetworkXmlFixtures(root = FIXTURES): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const name of readdirSync(join(root, rel)).sort()) {
      const path = rel ? `${rel}/${name}` : name;
      if (statSync(join(root, path)).isDirectory()) {
        if (name !== 'firewalld') walk(path);
      } else if (/^network(-\d+)?\.xml$/.test(name)) out.push(path);
    }
  };
  walk('');
  return out;
}

export interface ValidationCaseRow {
  case: string;
  file: string;
  v9Define: string;
  v9Start: string;
  v9Error: string;
  v11Define: string;
  v11Start: string;
  v11Error: string;
}

/** validation/summary.tsv, one row per file given to net-define (columns as in its header). */
export function validationSummary(): ValidationCaseRow[] {
  const [header, ...lines] = readFixture('validation', 'summary.tsv').split('\n').filter((l) => l.trim() !== '');
  const cols = header.split('\t');
  const at = (fields: string[], name: string) => fields[cols.indexOf(name)] ?? '';
  return lines.map((line) => {
    const f = line.split('\t');
    return {
      case: at(f, 'case'),
      file: at(f, 'file'),
      v9Define: at(f, 'v9 net-define'),
      v9Start: at(f, 'v9 net-start'),
      v9Error: at(f, 'v9 error'),
      v11Define: at(f, 'v11 net-define'),
      v11Start: at(f, 'v11 net-start'),
      v11Error: at(f, 'v11 error'),
    };
  });
}
