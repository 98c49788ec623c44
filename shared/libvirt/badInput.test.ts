import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalNetworkXml } from './canonicalNetworkXml.ts';
import { allNetworkXmlFixtures, readFixture } from '../../test/testkit/libvirtFixtures.ts';
import { parseNetworkXml } from './parseNetworkXml.ts';
import { validateNetwork } from './validateNetwork.ts';
import { validateProject } from './validateProject.ts';
import { writeNetworkXml } from './writeNetworkXml.ts';

// Bad input gets a clear error, never a crash: every entry point on damaged
// fixtures (bytes cut, inserted, swapped) and on random attribute values.
const texts = allNetworkXmlFixtures().map((f) => readFixture(f));
const opts = { usedBridgeNames: [], newUuid: () => '5cc68519-3b4a-4479-9267-8492a78c826d', newMac: () => '52:54:00:00:00:01' };

function everything(text: string): void {
  const parsed = parseNetworkXml(text);
  const problems = validateNetwork(parsed);
  for (const p of problems) {
    expect(typeof p.message).toBe('string');
    expect(p.message.length).toBeGreaterThan(0);
    if (p.line !== undefined) expect(p.line).toBeGreaterThanOrEqual(1);
  }
  if (parsed.network) {
    const written = writeNetworkXml(parsed.network, parsed.document);
    // Unedited: the original text comes back whatever it contains.
    expect(written).toBe(text);
    writeNetworkXml(parsed.network);
  } else {
    expect(problems.some((p) => p.severity === 'error')).toBe(true);
  }
  canonicalNetworkXml(text, opts);
  validateProject([{ text }, { text }]);
}

describe('damaged network XML', () => {
  it('never throws on cut, inserted or replaced characters', () => {
    const edit = fc.record({
      file: fc.integer({ min: 0, max: texts.length - 1 }),
      at: fc.nat(),
      cut: fc.integer({ min: 0, max: 8 }),
      insert: fc.oneof(fc.constantFrom('<', '>', '/', "'", '"', '&', '&amp;', '<!--', ']]>', '<x>', '%d', '\u0000', '\uFEFF', ' ', '\r\n'), fc.string({ maxLength: 4 })),
    });
    fc.assert(
      fc.property(edit, ({ file, at, cut, insert }) => {
        const text = texts[file];
        const pos = at % (text.length + 1);
        everything(text.slice(0, pos) + insert + text.slice(pos + cut));
      }),
      { numRuns: 1500 },
    );
  });

  it('never throws on arbitrary attribute values and element text', () => {
    const value = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('', '-1', '99999999999', '1e3', '0x10', '::', '1.2.3', '256.1.1.1', 'fd00::1', '0', '%d', 'virbr%d%d'));
    const attrs = ['address', 'netmask', 'prefix', 'start', 'end', 'mode', 'name', 'stp', 'delay', 'mac', 'ip', 'family', 'dev', 'size', 'gateway', 'port', 'ipv6'];
    fc.assert(
      fc.property(fc.integer({ min: 0, max: texts.length - 1 }), fc.constantFrom(...attrs), value, (file, attr, v) => {
        const escaped = v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/'/g, '&apos;');
        everything(texts[file].replace(new RegExp(`${attr}='[^']*'`), `${attr}='${escaped}'`));
        everything(texts[file].replace(/<name>[^<]*<\/name>/, `<name>${escaped}</name>`));
      }),
      { numRuns: 1500 },
    );
  });

  it('accepts any text at all, including binary junk and huge nesting, with an error', () => {
    for (const junk of ['', ' ', '\u0000\u0001', '<', '<network', '<network>', '<<<>>>', '<a/>'.repeat(3), '<n>'.repeat(500) + '</n>'.repeat(500), '<?xml version="1.0"?>']) {
      everything(junk);
    }
  });
});
