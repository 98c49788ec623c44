// Names the generated scripts use as words: interface names (routes, sysctl
// paths) and addresses. They are checked against the kernel's rules before a
// script is written, so a name that passes is also a harmless shell word; the
// scripts still quote them (shellQuote.ts) — two fences, not one.
//
// Interface names: net/core/dev.c dev_valid_name(): not empty, shorter than
// IFNAMSIZ (16 bytes with the terminating NUL), not "." or "..", no '/', ':'
// or whitespace (isspace).

import { parseCidr, parseIp } from '../libvirt/ipMath.ts';
import { utf8Bytes } from './utf8.ts';

export function interfaceNameProblem(name: string): string | null {
  if (name === '') return 'is empty';
  if (utf8Bytes(name).length > 15) return `is longer than 15 bytes (the kernel's IFNAMSIZ limit)`;
  if (name === '.' || name === '..') return `is "${name}", which the kernel refuses`;
  const bad = /[/:\s\u0000]/.exec(name);
  if (bad) return `contains ${JSON.stringify(bad[0])}, which the kernel refuses in interface names`;
  // The kernel accepts other bytes (even '$' or '`'); we keep the names scripts will
  // see to printable ASCII so a quoted word can never be misread by a tool.
  if (/[^\u0021-\u007e]/.test(name)) return 'contains characters outside printable ASCII';
  return null;
}

/** `default`, an address with prefix (192.168.10.0/24, fd00::/64) — else why not. */
export function routeDestinationProblem(text: string): string | null {
  if (text === 'default') return null;
  // Only the characters of an address/prefix: the parser tolerates e.g. "/ 24", a script must not.
  if (!/^[0-9A-Fa-f.:]+(?:\/[0-9]{1,3})?$/.test(text)) return 'is not "default" or an address/prefix';
  return parseCidr(text) ? null : 'is not "default" or an address/prefix';
}

export function addressProblem(text: string): string | null {
  if (!/^[0-9A-Fa-f.:]+$/.test(text)) return 'is not an IPv4 or IPv6 address';
  return parseIp(text) ? null : 'is not an IPv4 or IPv6 address';
}

export function isIpv6(text: string): boolean {
  return text.includes(':');
}
