// /etc/default/ufw as a structured config (shell variable syntax; ufw-init
// sources it): default policies, MANAGE_BUILTINS, IPV6, IPT_SYSCTL. Values are
// validated like ufw does (policies ACCEPT, DROP or REJECT; the application
// policy may also be SKIP) and reported with line and column.

import type { ConfigProblem } from '../layerActions.ts';
import { lastAssignment, parseShellVariables, setShellVariables } from '../susefirewall2/shellVariableFile.ts';
import { SHIPPED_UFW_DEFAULTS, UFW_DEFAULTS_PATH, UFW_SYSCTL } from './ufwShippedFiles.ts';

export type UfwPolicy = 'ACCEPT' | 'DROP' | 'REJECT';

export interface UfwConfig {
  inputPolicy: UfwPolicy;
  outputPolicy: UfwPolicy;
  forwardPolicy: UfwPolicy;
  manageBuiltins: boolean;
  ipv6: boolean;
  sysctlFile: string;
}

export function parseUfwDefaults(text: string | undefined, file = UFW_DEFAULTS_PATH): { config: UfwConfig; problems: ConfigProblem[] } {
  const vars = parseShellVariables(text ?? SHIPPED_UFW_DEFAULTS, file);
  const problems = [...vars.problems];
  const policy = (name: string, fallback: UfwPolicy): UfwPolicy => {
    const a = lastAssignment(vars, name);
    if (!a) return fallback;
    if (a.value === 'ACCEPT' || a.value === 'DROP' || a.value === 'REJECT') return a.value;
    const at = a.positions[0] ?? { line: a.line, column: a.column };
    problems.push({ severity: 'error', file, line: at.line, column: at.column, message: `${name}="${a.value}" is not ACCEPT, DROP or REJECT (ufw refuses to start)` });
    return fallback;
  };
  const yes = (name: string, fallback: boolean): boolean => {
    const a = lastAssignment(vars, name);
    if (!a || a.value === '') return fallback;
    if (a.value === 'yes' || a.value === 'no') return a.value === 'yes';
    problems.push({ severity: 'warning', file, line: a.line, column: a.column, message: `${name}="${a.value}" is neither yes nor no; read as ${fallback ? 'yes' : 'no'}` });
    return fallback;
  };
  return {
    config: {
      inputPolicy: policy('DEFAULT_INPUT_POLICY', 'DROP'),
      outputPolicy: policy('DEFAULT_OUTPUT_POLICY', 'ACCEPT'),
      forwardPolicy: policy('DEFAULT_FORWARD_POLICY', 'DROP'),
      manageBuiltins: yes('MANAGE_BUILTINS', false),
      ipv6: yes('IPV6', true),
      sysctlFile: lastAssignment(vars, 'IPT_SYSCTL')?.value ?? UFW_SYSCTL,
    },
    problems,
  };
}

/** Writes policies/switches back, keeping every other line of /etc/default/ufw. */
export function writeUfwDefaults(text: string | undefined, updates: Record<string, string | null>): string {
  return setShellVariables(text ?? SHIPPED_UFW_DEFAULTS, UFW_DEFAULTS_PATH, updates);
}
