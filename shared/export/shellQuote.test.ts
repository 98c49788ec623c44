import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fatSafeStem } from './fatFileName.ts';
import { interfaceNameProblem, routeDestinationProblem } from './kernelNames.ts';
import { commentText, shQuote } from './shellQuote.ts';

const HOSTILE = ['$(reboot)', '`reboot`', "it's", '"quoted"', 'a b', 'line\nbreak', 'x; rm -rf /', '-n', 'ünï©ødé 🐧', '\\', '*', '$HOME', "'", ''];

function shEcho(word: string): string {
  return execFileSync('sh', ['-c', `printf '%s' ${word}`], { encoding: 'utf8' });
}

describe('shQuote', () => {
  it('gives sh back exactly the value for hostile strings, nothing runs', () => {
    for (const value of HOSTILE) expect(shEcho(shQuote(value))).toBe(value);
  });

  it('round-trips any text without NUL through a real sh', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }).filter((s) => !s.includes('\0')), (value) => {
        expect(shEcho(shQuote(value))).toBe(value);
      }),
      { numRuns: 150 },
    );
  });

  it('refuses NUL, which sh cannot carry', () => {
    expect(() => shQuote('a\0b')).toThrow(/NUL/);
  });

  it('commentText leaves no line break or bidi override in a comment', () => {
    expect(commentText('a\nb\r\u2028c\u202ed')).toBe('a b  c d');
  });
});

describe('fatSafeStem', () => {
  it('uses only characters FAT32/exFAT and shells accept, and is one-to-one on distinct names', () => {
    const seen = new Map<string, string>();
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (name) => {
        const stem = fatSafeStem(name);
        expect(stem).toMatch(/^[A-Za-z0-9_.+%-]+$/);
        expect(stem.startsWith('.')).toBe(false);
        expect(stem.endsWith('.')).toBe(false);
        const before = seen.get(stem);
        if (before !== undefined) expect(before).toBe(name);
        seen.set(stem, name);
      }),
      { numRuns: 500 },
    );
  });

  it('escapes DOS device names, dots and hostile characters', () => {
    expect(fatSafeStem('deb')).toBe('deb');
    expect(fatSafeStem('CON')).toBe('%43ON');
    expect(fatSafeStem('lpt1.lab')).toBe('%6Cpt1.lab');
    expect(fatSafeStem('..')).toBe('%2E%2E');
    expect(fatSafeStem('$(reboot)')).toBe('%24%28reboot%29');
    expect(fatSafeStem('a/b:c')).toBe('a%2Fb%3Ac');
  });
});

describe('kernel name rules', () => {
  it('accepts what the kernel accepts for interfaces and names what it refuses', () => {
    expect(interfaceNameProblem('virbr3')).toBeNull();
    expect(interfaceNameProblem('eth0.100')).toBeNull();
    expect(interfaceNameProblem('')).toMatch(/empty/);
    expect(interfaceNameProblem('averyveryverylongname')).toMatch(/15 bytes/);
    expect(interfaceNameProblem('eth 1')).toMatch(/" "/);
    expect(interfaceNameProblem('a/b')).toMatch(/"\/"/);
    expect(interfaceNameProblem('..')).toMatch(/refuses/);
    expect(interfaceNameProblem('$(x)')).toBeNull(); // legal for the kernel; always quoted in scripts
  });

  it('route destinations are addresses with prefixes only', () => {
    expect(routeDestinationProblem('default')).toBeNull();
    expect(routeDestinationProblem('192.168.10.0/24')).toBeNull();
    expect(routeDestinationProblem('fd00::/64')).toBeNull();
    expect(routeDestinationProblem('192.168.10.0/ 24')).not.toBeNull();
    expect(routeDestinationProblem('1.2.3.4; reboot')).not.toBeNull();
  });
});
