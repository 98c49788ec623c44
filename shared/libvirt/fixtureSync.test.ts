import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allNetworkXmlFixtures, SHARED_FIXTURES, VENDORED_FIXTURES } from './libvirtFixtures.testkit.ts';

// The vendored copy (for fresh clones) must equal the team's captures where both exist.
describe.skipIf(!existsSync(join(SHARED_FIXTURES, 'validation', 'summary.tsv')))('vendored libvirt fixtures', () => {
  it('hold every network XML, summary.tsv and dumpxml output of ../shared/fixtures/libvirt, unchanged', () => {
    const wanted = [
      ...allNetworkXmlFixtures(SHARED_FIXTURES),
      'validation/summary.tsv',
      ...['debian-default', 'minimal', 'minimal-ip', 'nat-dhcp', 'prefix-ipv6', 'route-stp-domain-host'].flatMap((c) =>
        ['v9-inactive.xml', 'v11-inactive.xml'].map((f) => `dumpxml/${c}/${f}`),
      ),
    ];
    const missing: string[] = [];
    for (const rel of wanted) {
      const vendored = join(VENDORED_FIXTURES, rel);
      if (!existsSync(vendored)) missing.push(rel);
      else expect(readFileSync(vendored, 'utf8'), rel).toBe(readFileSync(join(SHARED_FIXTURES, rel), 'utf8'));
    }
    expect(missing, 'copy them into shared/libvirt/testdata/libvirt-fixtures').toEqual([]);
  });
});
