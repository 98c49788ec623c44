// Where tests find the libvirt ground-truth fixtures.
//
// The captures live in the team's shared folder (../shared/fixtures/libvirt,
// see its README.md); tests read them from there so a newly captured case is
// covered at once. A fresh clone has no such folder, so the XML inputs,
// expected.txt files and summary.tsv are vendored under testdata/ and
// fixtureSync.test.ts fails when the two copies drift apart.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const VENDORED_FIXTURES = join(here, 'testdata', 'libvirt-fixtures');
export const SHARED_FIXTURES = resolve(here, '..', '..', '..', 'shared', 'fixtures', 'libvirt');

export const FIXTURES = process.env.VIRTWALL_LIBVIRT_FIXTURES ?? (existsSync(join(SHARED_FIXTURES, 'validation', 'summary.tsv')) ? SHARED_FIXTURES : VENDORED_FIXTURES);

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
