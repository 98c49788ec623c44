import { describe, expect, it } from 'vitest';
import { AddressSyntaxError, canonicalAddress, parseAddress, parseNet, parseRange } from './addressNumbers.ts';

describe('addresses as numbers', () => {
  it('IPv4 in one word, IPv6 in four', () => {
    expect(parseAddress('192.168.10.1')).toEqual({ family: 'ipv4', words: [0xc0a80a01, 0, 0, 0] });
    expect(parseAddress('255.255.255.255').words[0]).toBe(0xffffffff);
    expect(parseAddress('fd00:10::1')).toEqual({ family: 'ipv6', words: [0xfd000010, 0, 0, 1] });
  });

  it('prefixes, dotted masks and ranges', () => {
    expect(parseNet('10.1.2.3/8')).toEqual({ family: 'ipv4', net: [0x0a000000, 0, 0, 0], mask: [0xff000000, 0, 0, 0] });
    expect(parseNet('10.1.2.3/255.0.255.0').net[0]).toBe(0x0a000200);
    expect(parseNet('fd00::/64').mask).toEqual([0xffffffff, 0xffffffff, 0, 0]);
    expect(parseRange('10.0.0.1', '10.0.0.9').to[0]).toBe(0x0a000009);
  });

  it('bad input is a clear error naming the value, never a crash', () => {
    for (const bad of ['300.1.1.1', '1.2.3', '1.2.3.4.5', 'x', '', '1..2.3', '01.2.3.4x']) {
      expect(() => parseAddress(bad), bad).toThrow(AddressSyntaxError);
    }
    expect(() => parseAddress('300.1.1.1')).toThrow('"300.1.1.1"');
    expect(() => parseNet('10.0.0.0/33')).toThrow('prefix length must be 0..32');
    expect(() => parseRange('10.0.0.9', '10.0.0.1')).toThrow('range start is above its end');
    expect(() => parseRange('10.0.0.1', 'fd00::1')).toThrow('different families');
  });

  it('canonical text', () => {
    expect(canonicalAddress('fd00:0010:0000::0001')).toBe('fd00:10::1');
    expect(canonicalAddress('10.0.0.1')).toBe('10.0.0.1');
  });
});
