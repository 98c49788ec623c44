// A rule specification (the words after `-A CHAIN`) → IptRule, the way
// iptables' option parser reads it (iptables/xshared.c, libxtables):
//  - -s -d -i -o -p -f are built-in matches wherever they appear;
//  - `-m NAME` opens a match block; a `--option` belongs to the target when the
//    target has it, else to the most recent match that has it, else iptables
//    loads the protocol's match implicitly (`-p udp --dport 53` is saved as
//    `-p udp -m udp --dport 53`), else it is an error;
//  - `! --opt` (and the old `--opt ! value`) negate.
// The result is canonical (see iptOptionSpec.ts), so rules read from a save
// file, from `iptables -S` and from script command lines compare equal.

import { IPT_EXTENSION_TARGETS } from './iptCommand.ts';
import { BUILTIN_OPTIONS, implicitProtocolModule, matchModule, normalizeBuiltin } from './iptMatchModules.ts';
import type { ModuleContext, ModuleSpec, OptionSpec } from './iptOptionSpec.ts';
import { cachedNormalize } from './normalizeCache.ts';
import { targetModule } from './iptTargetModules.ts';
import type { Word } from './iptTokens.ts';
import type { Family, IptMatch, IptOption, IptRule, IptTarget } from '../model.ts';
import { TokenProblem } from '../parseError.ts';

interface RawOption {
  name: string;
  values: string[];
  negated: boolean;
  column: number;
  /** Column of the first value (where a bad value is reported). */
  valueColumn: number;
  spec?: OptionSpec;
}

interface Block {
  module: string;
  spec: ModuleSpec | undefined;
  column: number;
  options: RawOption[];
}

const BUILTIN_BY_FLAG = new Map<string, (typeof BUILTIN_OPTIONS)[number]>();
for (const b of BUILTIN_OPTIONS) {
  BUILTIN_BY_FLAG.set(`-${b.short}`, b);
  BUILTIN_BY_FLAG.set(`--${b.name}`, b);
}
BUILTIN_BY_FLAG.set('--src', BUILTIN_OPTIONS[0]);
BUILTIN_BY_FLAG.set('--dst', BUILTIN_OPTIONS[1]);

const NAME_RE = /^[A-Za-z0-9_.+-]+$/;

/** Largest chain name iptables accepts (XT_EXTENSION_MAXNAMELEN - 1 = 28 characters). */
export const MAX_CHAIN_NAME = 28;

export function checkChainName(word: Word): void {
  const name = word.text;
  if (name === '' || name.length > MAX_CHAIN_NAME || /\s/.test(name) || name.startsWith('-') || name === '!') {
    throw new TokenProblem(`"${name}" is not a valid chain name (1-${MAX_CHAIN_NAME} characters, no blanks, not starting with "-")`, word.column);
  }
}

function isOptionWord(text: string): boolean {
  if (text.length < 2 || text.charCodeAt(0) !== 45) return false;
  const c = text.charCodeAt(1);
  return c < 48 || c > 57;
}

function findOption(spec: ModuleSpec, name: string): OptionSpec | undefined {
  return spec.options.find((o) => o.names.includes(name));
}

interface TakeResult {
  values: string[];
  next: number;
  negated: boolean;
  valueColumn: number;
}

function takeValues(words: Word[], i: number, count: number, option: Word): TakeResult {
  let negated = false;
  let j = i + 1;
  // Old intrapositioned negation: `-s ! 10.0.0.0/8`, `--dport ! 22` (iptables 1.4 syntax, still in old scripts).
  if (count > 0 && words[j]?.text === '!') {
    negated = true;
    j++;
  }
  const values: string[] = [];
  const valueColumn = words[j]?.column ?? option.column;
  for (let k = 0; k < count; k++, j++) {
    const w = words[j];
    if (!w || (isOptionWord(w.text) && !w.quoted) || w.text === '!') {
      throw new TokenProblem(`option "${option.text}" needs ${count === 1 ? 'a value' : `${count} values`}`, option.column);
    }
    values.push(w.text);
  }
  return { values, next: j, negated, valueColumn };
}

export interface RuleSpecResult {
  rule: IptRule;
  /** Words the caller must handle (none for a full rule spec). */
}

/**
 * Reads words[from..] as a rule specification. Throws TokenProblem with the
 * column of the offending word.
 */
export function parseRuleSpec(words: Word[], from: number, family: Family): IptRule {
  const builtins: RawOption[] = [];
  const blocks: Block[] = [];
  let target: Block | null = null;
  let targetGoto = false;
  let counters: { packets: number; bytes: number } | undefined;
  let negation: Word | null = null;
  let protocol: string | undefined;

  const take = (i: number, count: number, option: Word): TakeResult => takeValues(words, i, count, option);

  let i = from;
  while (i < words.length) {
    const w = words[i];
    if (w.text === '!') {
      if (negation) throw new TokenProblem('"!" twice in a row', w.column);
      negation = w;
      i++;
      continue;
    }
    if (!isOptionWord(w.text)) throw new TokenProblem(`unexpected "${w.text}" (expected an option such as -s, -p, -m or -j)`, w.column);
    const negatedBefore = negation !== null;
    const negWord = negation;
    negation = null;

    const builtin = BUILTIN_BY_FLAG.get(w.text);
    if (builtin) {
      const { values, next, negated } = take(i, builtin.arity, w);
      if (builtins.some((b) => b.name === builtin.name)) throw new TokenProblem(`option "${w.text}" given twice`, w.column);
      let normalized: string[];
      try {
        normalized = cachedNormalize(builtin, family, values, () => normalizeBuiltin[builtin.name](values, family)) as string[];
      } catch (e) {
        throw new TokenProblem((e as Error).message, words[next - 1].column);
      }
      const neg = negatedBefore || negated;
      if (builtin.name === 'protocol') {
        if (normalized[0] === '') {
          if (neg) throw new TokenProblem('"! -p all" matches nothing', w.column);
          i = next;
          continue;
        }
        if (!neg) protocol = normalized[0];
      }
      builtins.push({ name: builtin.name, values: normalized, negated: neg, column: w.column, valueColumn: w.column });
      i = next;
      continue;
    }
    if (w.text === '-m' || w.text === '--match') {
      if (negatedBefore) throw new TokenProblem('"!" cannot negate "-m"', negWord?.column ?? w.column);
      const { values, next } = take(i, 1, w);
      const name = values[0];
      if (!NAME_RE.test(name)) throw new TokenProblem(`"${name}" is not a match module name`, words[next - 1].column);
      const spec = matchModule(name);
      if (spec?.family && spec.family !== family) throw new TokenProblem(`match "${name}" exists only in ${spec.family === 'ipv4' ? 'iptables' : 'ip6tables'}`, words[next - 1].column);
      blocks.push({ module: name, spec, column: words[next - 1].column, options: [] });
      i = next;
      continue;
    }
    if (w.text === '-j' || w.text === '--jump' || w.text === '-g' || w.text === '--goto') {
      if (negatedBefore) throw new TokenProblem(`"!" cannot negate "${w.text}"`, negWord?.column ?? w.column);
      if (target) throw new TokenProblem(`a second target "${w.text}" (a rule has one -j or -g)`, w.column);
      const { values, next } = take(i, 1, w);
      const name = values[0];
      const nameWord = words[next - 1];
      targetGoto = w.text === '-g' || w.text === '--goto';
      const spec = targetGoto ? undefined : targetModule(name);
      if (!spec) checkChainName(nameWord);
      target = { module: name, spec, column: nameWord.column, options: [] };
      i = next;
      continue;
    }
    if (w.text === '-c' || w.text === '--set-counters') {
      const { values, next } = take(i, 2, w);
      if (!values.every((v) => /^\d+$/.test(v))) throw new TokenProblem(`counters "${values.join(' ')}" are not two numbers`, words[next - 2].column);
      counters = { packets: Number(values[0]), bytes: Number(values[1]) };
      i = next;
      continue;
    }
    if (w.text === '-4' || w.text === '--ipv4' || w.text === '-6' || w.text === '--ipv6') {
      i++;
      continue;
    }
    if (!w.text.startsWith('--')) throw new TokenProblem(`unknown option "${w.text}"`, w.column);
    const name = w.text.slice(2);

    // Dispatch: target first, then the most recent match that knows the option.
    let owner: Block | undefined;
    let spec: OptionSpec | undefined;
    if (target?.spec) {
      spec = findOption(target.spec, name);
      if (spec) owner = target;
    }
    if (!owner) {
      for (let b = blocks.length - 1; b >= 0 && !owner; b--) {
        const s = blocks[b].spec;
        if (s) {
          spec = findOption(s, name);
          if (spec) owner = blocks[b];
        }
      }
    }
    if (!owner) {
      const last: Block | null = target ?? blocks[blocks.length - 1] ?? null;
      const lastIsGeneric = last !== null && last.spec === undefined && (last !== target || IPT_EXTENSION_TARGETS.has(last.module));
      const implicit = implicitProtocolModule(protocol, family);
      const implicitSpec = implicit ? matchModule(implicit) : undefined;
      const implicitOption = implicitSpec ? findOption(implicitSpec, name) : undefined;
      if (implicitSpec && implicitOption) {
        owner = { module: implicitSpec.name, spec: implicitSpec, column: w.column, options: [] };
        blocks.push(owner);
        spec = implicitOption;
      } else if (lastIsGeneric && last) {
        owner = last;
      } else {
        const owners = [...blocks.map((b) => `-m ${b.module}`), ...(target ? [`-j ${target.module}`] : [])];
        const where = owners.length ? owners.join(', ') : 'any match loaded so far';
        throw new TokenProblem(`unknown option "${w.text}" (not an option of ${where}${protocol ? '' : '; options like --dport need -p tcp/udp first'})`, w.column);
      }
    }
    if (spec) {
      if (negatedBefore && !spec.negatable) throw new TokenProblem(`option "${w.text}" cannot be negated with "!"`, negWord?.column ?? w.column);
      const { values, next, negated, valueColumn } = take(i, spec.arity, w);
      if (negated && !spec.negatable) throw new TokenProblem(`option "${w.text}" cannot be negated with "!"`, w.column);
      owner.options.push({ name: spec.names[0], values, negated: negatedBefore || negated, column: w.column, valueColumn: spec.arity ? valueColumn : w.column, spec });
      i = next;
    } else {
      // Generic option of an unknown module: values up to the next option or "!".
      let j = i + 1;
      const values: string[] = [];
      while (j < words.length && words[j].text !== '!' && (!isOptionWord(words[j].text) || words[j].quoted)) values.push(words[j++].text);
      owner.options.push({ name, values, negated: negatedBefore, column: w.column, valueColumn: w.column });
      i = j;
    }
  }
  if (negation) throw new TokenProblem('"!" at the end of the rule negates nothing', negation.column);

  const ctx: ModuleContext = { family, protocol };
  const matches: IptMatch[] = [];
  if (builtins.length) {
    const order = BUILTIN_OPTIONS.map((b) => b.name);
    builtins.sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
    matches.push({ module: '', options: builtins.map(({ name, values, negated }) => ({ name, values, negated })) });
  }
  for (const block of blocks) matches.push({ module: block.module, options: finishBlock(block, ctx, 'match') });
  let iptTarget: IptTarget | null = null;
  const t = target as Block | null;
  if (t) iptTarget = { name: t.module, goto: targetGoto, options: finishBlock(t, ctx, 'target') };
  const rule: IptRule = { matches, target: iptTarget };
  if (counters) rule.counters = counters;
  return rule;
}

const OPTION_ORDER = new WeakMap<ModuleSpec, Map<string, number>>();

function optionOrder(spec: ModuleSpec): Map<string, number> {
  let order = OPTION_ORDER.get(spec);
  if (!order) {
    order = new Map(spec.options.map((o, i) => [o.names[0], i]));
    OPTION_ORDER.set(spec, order);
  }
  return order;
}

function finishBlock(block: Block, ctx: ModuleContext, kind: 'match' | 'target'): IptOption[] {
  const spec = block.spec;
  if (!spec) return block.options.map(({ name, values, negated }) => ({ name, values, negated }));
  const order = optionOrder(spec);
  const options: IptOption[] = [];
  const ranks: number[] = [];
  const originals: string[] = [];
  for (const raw of block.options) {
    const optSpec = raw.spec as OptionSpec;
    let result;
    try {
      const normalize = optSpec.normalize;
      result = normalize ? cachedNormalize(optSpec, ctx.family, raw.values, () => normalize(raw.values, ctx)) : raw.values;
    } catch (e) {
      throw new TokenProblem((e as Error).message, raw.valueColumn);
    }
    if (result === null) continue;
    const name = Array.isArray(result) ? raw.name : result.name;
    const values = Array.isArray(result) ? result : result.values;
    const clash = options.findIndex((o) => o.name === name);
    if (clash >= 0) {
      const earlier = originals[clash];
      throw new TokenProblem(
        earlier === raw.name ? `option "--${raw.name}" given twice for ${kind} "${block.module}"` : `options "--${earlier}" and "--${raw.name}" cannot be combined for ${kind} "${block.module}"`,
        raw.column,
      );
    }
    // Insert in save order (a block has a handful of options: insertion sort, stable).
    const rank = order.get(name) ?? -1;
    let at = options.length;
    while (at > 0 && ranks[at - 1] > rank) at--;
    options.splice(at, 0, { name, values, negated: raw.negated });
    ranks.splice(at, 0, rank);
    originals.splice(at, 0, raw.name);
  }
  if (spec.finalize) {
    try {
      spec.finalize(options, ctx);
    } catch (e) {
      throw new TokenProblem((e as Error).message, block.column);
    }
  }
  return options;
}
