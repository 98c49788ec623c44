// Minimal flag parser for the CLI: `--name value`, `--name=value`, boolean
// `--flag`, positional arguments. Unknown flags are a usage error (no guessing).

import { UsageError } from './io.ts';

export interface FlagSpec {
  /** Flags that take a value. */
  values?: readonly string[];
  /** Flags that may repeat (collected into an array). */
  repeatable?: readonly string[];
  /** Boolean flags. */
  booleans?: readonly string[];
}

export interface ParsedFlags {
  positional: string[];
  values: Record<string, string>;
  lists: Record<string, string[]>;
  booleans: Set<string>;
}

export function parseFlags(args: string[], spec: FlagSpec): ParsedFlags {
  const out: ParsedFlags = { positional: [], values: {}, lists: {}, booleans: new Set() };
  const values = new Set(spec.values ?? []);
  const repeatable = new Set(spec.repeatable ?? []);
  const booleans = new Set(spec.booleans ?? []);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      out.positional.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--') || arg === '-') {
      out.positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    if (booleans.has(name)) {
      if (eq !== -1) throw new UsageError(`--${name} takes no value`);
      out.booleans.add(name);
      continue;
    }
    if (!values.has(name) && !repeatable.has(name)) throw new UsageError(`unknown option --${name}`);
    let value: string;
    if (eq !== -1) value = arg.slice(eq + 1);
    else {
      if (i + 1 >= args.length) throw new UsageError(`--${name} needs a value`);
      value = args[++i];
    }
    if (repeatable.has(name)) (out.lists[name] ??= []).push(value);
    else {
      if (name in out.values) throw new UsageError(`--${name} given twice`);
      out.values[name] = value;
    }
  }
  return out;
}
