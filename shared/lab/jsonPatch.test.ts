import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { applyPatch, formatJsonPointer, getAtPointer, JsonPatchError, parseJsonPointer, type JsonPatchOp } from './jsonPatch.ts';
import { defaultLab } from './defaultLab.ts';
import { sequentialIds } from './labIds.ts';

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected an error');
}

describe('JSON pointers (RFC 6901)', () => {
  it('unescapes ~1 and ~0 in that order and round-trips through formatJsonPointer', () => {
    expect(parseJsonPointer('/layers/0/files/~1etc~1sysconfig~1SuSEfirewall2')).toEqual(['layers', '0', 'files', '/etc/sysconfig/SuSEfirewall2']);
    expect(parseJsonPointer('/a~01')).toEqual(['a~1']);
    expect(parseJsonPointer('')).toEqual([]);
    expect(parseJsonPointer('/')).toEqual(['']);
    expect(formatJsonPointer(['files', '/etc/a~b'])).toBe('/files/~1etc~1a~0b');
  });

  it('refuses a pointer without a leading slash and unknown escapes, naming them', () => {
    expect(() => parseJsonPointer('networks/0')).toThrow('"networks/0" is not a JSON pointer');
    expect(() => parseJsonPointer('/a~2b')).toThrow('invalid escape "~2" in "a~2b"');
    expect(() => parseJsonPointer('/a~')).toThrow('invalid escape "~"');
  });

  it('getAtPointer reads values and answers undefined for missing ones', () => {
    const doc = { a: [{ b: 1 }], 'x/y': 2 };
    expect(getAtPointer(doc, '/a/0/b')).toBe(1);
    expect(getAtPointer(doc, '/x~1y')).toBe(2);
    expect(getAtPointer(doc, '/a/1')).toBeUndefined();
    expect(getAtPointer(doc, '/a/01')).toBeUndefined();
    expect(getAtPointer(doc, '/toString')).toBeUndefined();
  });
});

describe('applyPatch', () => {
  const lab = deepFreeze(defaultLab(sequentialIds()));

  it('replaces a value without touching the input and shares untouched subtrees', () => {
    const { doc, inverse } = applyPatch(lab, [{ op: 'replace', path: '/host/sysctls/ipForward', value: false }]);
    expect(doc.host.sysctls.ipForward).toBe(false);
    expect(lab.host.sysctls.ipForward).toBe(true);
    expect(doc.gateway).toBe(lab.gateway);
    expect(doc.host.interfaces).toBe(lab.host.interfaces);
    expect(inverse).toEqual([{ op: 'replace', path: '/host/sysctls/ipForward', value: true }]);
  });

  it('adds to arrays at an index and at "-", and the inverse removes at the real index', () => {
    const net = { id: 'net-9', xml: '<network/>', autostart: true };
    const first = applyPatch(lab, [{ op: 'add', path: '/networks/-', value: net }]);
    expect(first.doc.networks).toEqual([net]);
    expect(first.inverse).toEqual([{ op: 'remove', path: '/networks/0' }]);
    const second = applyPatch(first.doc, [{ op: 'add', path: '/networks/0', value: { ...net, id: 'net-8' } }]);
    expect(second.doc.networks.map((n) => n.id)).toEqual(['net-8', 'net-9']);
    expect(applyPatch(second.doc, second.inverse).doc).toEqual(first.doc);
  });

  it('add on an existing member replaces it, and its inverse restores the old value (RFC 6902 §4.1)', () => {
    const { doc, inverse } = applyPatch(lab, [{ op: 'add', path: '/host/name', value: 'other' }]);
    expect(doc.host.name).toBe('other');
    expect(inverse).toEqual([{ op: 'replace', path: '/host/name', value: lab.host.name }]);
  });

  it('removes array items and object members; inverses put them back in place', () => {
    const { doc, inverse } = applyPatch(lab, [
      { op: 'remove', path: '/host/interfaces/0' },
      { op: 'remove', path: '/gateway/listens' },
    ]);
    expect(doc.host.interfaces.map((i) => i.name)).toEqual(['eth1']);
    expect('listens' in doc.gateway).toBe(false);
    expect(applyPatch(doc, inverse).doc).toEqual(lab);
  });

  it('keys with "/" and "~" (file paths) work through escaped pointers', () => {
    const withLayer = applyPatch(lab, [
      { op: 'add', path: '/layers/-', value: { id: 'l1', kind: 'own-script', label: 'fw', files: {}, settings: {} } },
      { op: 'add', path: '/layers/0/files/~1usr~1local~1sbin~1fw.sh', value: '#!/bin/sh\n' },
    ]).doc;
    expect(withLayer.layers[0].files).toEqual({ '/usr/local/sbin/fw.sh': '#!/bin/sh\n' });
  });

  it('"__proto__" becomes a plain member, never a prototype', () => {
    const { doc } = applyPatch({ files: {} as Record<string, unknown> }, [{ op: 'add', path: '/files/__proto__', value: { polluted: true } }]);
    expect(Object.getPrototypeOf(doc.files)).toBe(Object.prototype);
    expect(Object.hasOwn(doc.files, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('copies values from the patch so later changes to the patch do not leak in', () => {
    const value = { id: 'g', name: 'kali', networkId: 'n', listens: [] as string[] };
    const { doc } = applyPatch(lab, [{ op: 'add', path: '/guests/-', value }]);
    value.listens.push('tcp/22');
    expect(doc.guests[0].listens).toEqual([]);
  });

  it('replaces the whole document at "" and refuses to remove it', () => {
    const { doc, inverse } = applyPatch<unknown>(lab, [{ op: 'replace', path: '', value: { x: 1 } }]);
    expect(doc).toEqual({ x: 1 });
    expect(applyPatch(doc, inverse).doc).toEqual(lab);
    expect(() => applyPatch(lab, [{ op: 'remove', path: '' }])).toThrow('cannot remove the whole document');
  });

  it('refuses bad pointers with an error naming the operation and the path', () => {
    const cases: [JsonPatchOp[], string][] = [
      [[{ op: 'replace', path: '/networks/0/xml', value: 'x' }], 'patch[0] "/networks/0/xml": /networks/0 does not exist: /networks has 0 items'],
      [[{ op: 'replace', path: '/host/nope', value: 1 }], 'patch[0] "/host/nope": /host/nope does not exist'],
      [[{ op: 'add', path: '/nope/x', value: 1 }], 'patch[0] "/nope/x": /nope does not exist'],
      [[{ op: 'add', path: '/networks/3', value: 1 }], 'index 3 is past the end of /networks (0 items)'],
      [[{ op: 'add', path: '/host/interfaces/01', value: 1 }], '"01" is not an array index of /host/interfaces'],
      [[{ op: 'remove', path: '/host/interfaces/-' }], '"-" (end of /host/interfaces) is only valid for add'],
      [[{ op: 'replace', path: '/host/name/first', value: 1 }], '/host/name is a string ("kvm-host"), not an object or array'],
      [[{ op: 'replace', path: 'host/name', value: 1 }], '"host/name" is not a JSON pointer'],
      [[{ op: 'add', path: '/host/x', value: undefined }], 'add needs a value'],
      [[{ op: 'move', path: '/host/x' } as unknown as JsonPatchOp], 'unsupported op "move"'],
    ];
    for (const [patch, message] of cases) {
      const err = errorOf(() => applyPatch(lab, patch));
      expect(err).toBeInstanceOf(JsonPatchError);
      expect(err.message).toContain(message);
    }
  });

  it('is atomic: a failing later operation leaves nothing applied (the input is untouched)', () => {
    const before = JSON.stringify(lab);
    const err = errorOf(() =>
      applyPatch(lab, [
        { op: 'replace', path: '/host/name', value: 'changed' },
        { op: 'remove', path: '/guests/5' },
      ]),
    );
    expect((err as JsonPatchError).opIndex).toBe(1);
    expect(JSON.stringify(lab)).toBe(before);
  });
});

// Property: for random documents and random valid patches, applying the inverse
// gives back the original, and the original is never mutated.
describe('applyPatch inverse property', () => {
  const json = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small' }, fc.integer(), fc.string({ maxLength: 4 }), fc.boolean(), fc.constant(null), tie('array'), tie('object')),
    array: fc.array(tie('value'), { maxLength: 4 }),
    object: fc.dictionary(fc.constantFrom('a', 'b', 'c~', 'd/e', ''), tie('value'), { maxKeys: 4 }),
  }));

  /** All pointers to existing values below the root, plus add targets. */
  function targets(doc: unknown, at: string, out: { existing: string[]; addable: string[] }): void {
    if (Array.isArray(doc)) {
      out.addable.push(at + '/-', at + '/0');
      doc.forEach((v, i) => {
        out.existing.push(`${at}/${i}`);
        targets(v, `${at}/${i}`, out);
      });
    } else if (typeof doc === 'object' && doc !== null) {
      out.addable.push(at + formatJsonPointer(['new']));
      for (const [k, v] of Object.entries(doc)) {
        const p = at + formatJsonPointer([k]);
        out.existing.push(p);
        out.addable.push(p); // add on an existing member = replace (RFC 6902 §4.1)
        targets(v, p, out);
      }
    }
  }

  it('inverse(apply(doc)) === doc for random single operations', () => {
    fc.assert(
      fc.property(json.object, fc.nat(), fc.nat(), json.value, (doc, pick, kind, value) => {
        const frozen = deepFreeze(structuredClone(doc));
        const t = { existing: [] as string[], addable: [] as string[] };
        targets(frozen, '', t);
        const ops: JsonPatchOp[] = [];
        if (t.addable.length) ops.push({ op: 'add', path: t.addable[pick % t.addable.length], value });
        if (t.existing.length) {
          const path = t.existing[pick % t.existing.length];
          ops.push(kind % 2 ? { op: 'remove', path } : { op: 'replace', path, value });
        }
        for (const op of ops) {
          const { doc: next, inverse } = applyPatch(frozen, [op]);
          expect(applyPatch(next, inverse).doc).toEqual(doc);
        }
        expect(frozen).toEqual(doc);
      }),
      { numRuns: 500, seed: 42 },
    );
  });
});
