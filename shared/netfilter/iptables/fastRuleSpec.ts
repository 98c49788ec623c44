// A fast path for the line a big dump is made of: a rule already in canonical
// iptables-save form (`-A CHAIN -s … -p tcp -m tcp --dport 22 -j ACCEPT`,
// built-in matches in -s -d -i -o -p -f order, every option under its own
// `-m`, options in save order, quotes only around a whole option value as
// iptables-save prints `--comment "…"`/`--log-prefix "…"`). Such a line is
// split natively (canonicalWords) and read without column bookkeeping. Anything else — and any value that does
// not normalise — returns null and the full reader (parseIptRuleSpec.ts)
// handles the line, with its errors and columns. For lines it accepts the
// result equals the full reader's (checked over fixtures, generated rulesets
// and fuzzed lines in fastRuleSpec.test.ts).

import { IPT_EXTENSION_TARGETS } from './iptCommand.ts';
import { BUILTIN_OPTIONS, matchModule, normalizeBuiltin } from './iptMatchModules.ts';
import type { ModuleContext, ModuleSpec, OptionSpec } from './iptOptionSpec.ts';
import { targetModule } from './iptTargetModules.ts';
import { cachedNormalize } from './normalizeCache.ts';
import { MAX_CHAIN_NAME } from './parseIptRuleSpec.ts';
import type { Family, IptMatch, IptOption, IptRule } from '../model.ts';

const BUILTIN_FLAGS: Record<string, { name: string; order: number; arity: number }> = {
  '-s': { name: 'source', order: 0, arity: 1 },
  '-d': { name: 'destination', order: 1, arity: 1 },
  '-i': { name: 'in-interface', order: 2, arity: 1 },
  '-o': { name: 'out-interface', order: 3, arity: 1 },
  '-p': { name: 'protocol', order: 4, arity: 1 },
  '-f': { name: 'fragment', order: 5, arity: 0 },
};

/** The cache owners the full reader uses for built-in options (its BUILTIN_OPTIONS entries). */
const BUILTIN_OWNERS: Record<string, object> = Object.fromEntries(BUILTIN_OPTIONS.map((b) => [b.name, b]));

interface CanonicalOption {
  spec: OptionSpec;
  order: number;
}

const CANONICAL = new WeakMap<ModuleSpec, Map<string, CanonicalOption>>();

/** `--NAME` (canonical names only) → its spec and save position. */
function canonicalOptions(spec: ModuleSpec): Map<string, CanonicalOption> {
  let map = CANONICAL.get(spec);
  if (!map) {
    map = new Map(spec.options.map((o, order) => [`--${o.names[0]}`, { spec: o, order }]));
    CANONICAL.set(spec, map);
  }
  return map;
}

function plainChainName(name: string | undefined): boolean {
  return name !== undefined && name.length > 0 && name.length <= MAX_CHAIN_NAME && name.charCodeAt(0) !== 45 && name !== '!';
}

/**
 * Reads the block of options of `spec` starting at words[i]; returns the index after it, or -1 to
 * give up. Options must be canonical names in save order with plain values.
 */
function readOptions(words: string[], i: number, spec: ModuleSpec, module: string, ctx: ModuleContext, out: IptOption[]): number {
  const table = canonicalOptions(spec);
  let lastOrder = -1;
  while (i < words.length) {
    let w = words[i];
    let negated = false;
    if (w === '!') {
      negated = true;
      w = words[i + 1];
      if (w === undefined) return -1;
    }
    const option = table.get(w);
    // Not an option of this module: the block ends at the next -m / -j / -g; anything else is for the full reader.
    if (!option) return !negated && (w === '-j' || w === '-g' || w === '-m') ? i : -1;
    if (option.order <= lastOrder || (negated && !option.spec.negatable)) return -1;
    lastOrder = option.order;
    let j = negated ? i + 2 : i + 1;
    const values: string[] = [];
    for (let k = 0; k < option.spec.arity; k++, j++) {
      const v = words[j];
      if (v === undefined || v === '' || v.charCodeAt(0) === 45 || v === '!') return -1;
      values.push(v);
    }
    const normalize = option.spec.normalize;
    let result;
    try {
      result = normalize ? cachedNormalize(option.spec, ctx.family, values, () => normalize(values, ctx)) : values;
    } catch {
      return -1;
    }
    if (result !== null) {
      if (!Array.isArray(result)) return -1;
      out.push({ name: option.spec.names[0], values: result, negated });
    }
    i = j;
  }
  return i;
}

function finalize(spec: ModuleSpec, options: IptOption[], ctx: ModuleContext): boolean {
  if (!spec.finalize) return true;
  try {
    spec.finalize(options, ctx);
    return true;
  } catch {
    return false;
  }
}

/**
 * The words of a canonical line: separated by single spaces, no tabs; a quoted word only as the
 * value of a `--long` option, quoted whole (`"…"` with no backslash or quote inside) and not
 * option-like once unquoted (the full reader treats quoted `-x`/`!` as plain values). null = not
 * canonical, use the full reader.
 */
export function canonicalWords(line: string): string[] | null {
  if (line.includes('\t')) return null;
  if (!line.includes('"')) return line.includes('  ') ? null : line.split(' ');
  const words: string[] = [];
  let i = 0;
  const n = line.length;
  while (i < n) {
    if (line.charCodeAt(i) === 34) {
      const end = line.indexOf('"', i + 1);
      if (end < 0 || (end + 1 < n && line.charCodeAt(end + 1) !== 32)) return null;
      const text = line.slice(i + 1, end);
      const previous = words[words.length - 1];
      if (text === '' || text === '!' || text.charCodeAt(0) === 45 || text.includes('\\') || previous === undefined || !previous.startsWith('--')) return null;
      words.push(text);
      i = end + 2;
    } else {
      let end = line.indexOf(' ', i);
      if (end < 0) end = n;
      const text = line.slice(i, end);
      if (text === '' || text.includes('"')) return null;
      words.push(text);
      i = end + 1;
    }
  }
  // A line ending in a space leaves an empty last word for split(' '); keep that behaviour (the full reader decides).
  if (line.charCodeAt(n - 1) === 32) return null;
  return words;
}

/** words = canonicalWords(line) of a `-A CHAIN …` line; null = use the full reader. */
export function fastRuleSpec(words: string[], family: Family): IptRule | null {
  if (words[0] !== '-A' || !plainChainName(words[1])) return null;
  let i = 2;
  let builtins: IptOption[] | null = null;
  let lastBuiltin = -1;
  let protocol: string | undefined;
  while (i < words.length) {
    const negated = words[i] === '!';
    const flag = BUILTIN_FLAGS[negated ? words[i + 1] : words[i]];
    if (!flag) break;
    if (flag.order <= lastBuiltin) return null;
    lastBuiltin = flag.order;
    const at = negated ? i + 2 : i + 1;
    const values = flag.arity ? [words[at]] : [];
    if (flag.arity && (values[0] === undefined || values[0] === '' || values[0] === '!' || values[0].charCodeAt(0) === 45)) return null;
    let normalized: string[];
    try {
      normalized = cachedNormalize(BUILTIN_OWNERS[flag.name], family, values, () => normalizeBuiltin[flag.name](values, family)) as string[];
    } catch {
      return null;
    }
    if (flag.name === 'protocol') {
      if (normalized[0] === '') return null;
      if (!negated) protocol = normalized[0];
    }
    (builtins ??= []).push({ name: flag.name, values: normalized, negated });
    i = at + flag.arity;
  }
  const ctx: ModuleContext = { family, protocol };
  const matches: IptMatch[] = builtins ? [{ module: '', options: builtins }] : [];
  while (words[i] === '-m') {
    const module = words[i + 1];
    const spec = module === undefined ? undefined : matchModule(module);
    if (!spec || (spec.family && spec.family !== family)) return null;
    const options: IptOption[] = [];
    i = readOptions(words, i + 2, spec, module, ctx, options);
    if (i < 0 || !finalize(spec, options, ctx)) return null;
    matches.push({ module, options });
  }
  const rule: IptRule = { matches, target: null };
  if (i === words.length) return rule;
  if (words[i] !== '-j' && words[i] !== '-g') return null;
  const name = words[i + 1];
  if (!plainChainName(name)) return null;
  const goto = words[i] === '-g';
  const spec = goto ? undefined : targetModule(name);
  if (!spec) {
    // A user chain (or -g): nothing may follow. Extension targets without a spec are read generically by the full reader.
    if (i + 2 !== words.length || (!goto && IPT_EXTENSION_TARGETS.has(name))) return null;
    rule.target = { name, goto, options: [] };
    return rule;
  }
  const options: IptOption[] = [];
  const end = readOptions(words, i + 2, spec, name, ctx, options);
  if (end !== words.length || !finalize(spec, options, ctx)) return null;
  rule.target = { name, goto: false, options };
  return rule;
}
