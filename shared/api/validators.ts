// Argument validators, one per API method. Main (and the loopback bridge) run
// them before any service sees the arguments: a compromised or buggy renderer
// gets a clear error instead of reaching the store with odd values.

import type { ApiMethod, FileDialogOptions, JsonPatchOp } from './contract.ts';

export class ApiArgumentError extends Error {
  constructor(method: string, message: string) {
    super(`${method}: ${message}`);
    this.name = 'ApiArgumentError';
  }
}

type Check = (args: unknown[]) => string | null;

const MAX_STRING = 64 * 1024 * 1024;

function str(value: unknown, what: string, { empty = false, max = 4096 } = {}): string | null {
  if (typeof value !== 'string') return `${what} must be a string`;
  if (!empty && value.length === 0) return `${what} must not be empty`;
  if (value.length > max) return `${what} is too long (${value.length} > ${max})`;
  if (value.includes('\0')) return `${what} contains a NUL character`;
  return null;
}

function int(value: unknown, what: string): string | null {
  return Number.isSafeInteger(value) && (value as number) >= 0 ? null : `${what} must be a non-negative integer`;
}

function count(n: number): Check {
  return (args) => (args.length === n ? null : `expects ${n} argument(s), got ${args.length}`);
}

function all(...checks: Check[]): Check {
  return (args) => {
    for (const c of checks) {
      const problem = c(args);
      if (problem) return problem;
    }
    return null;
  };
}

const PURPOSES: readonly FileDialogOptions['purpose'][] = [
  'open-project',
  'save-project',
  'import-network-xml',
  'import-snapshot',
  'import-ruleset',
  'export-folder',
];

function dialogOptions(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return 'options must be an object';
  const o = value as Record<string, unknown>;
  if (!PURPOSES.includes(o.purpose as FileDialogOptions['purpose'])) return `unknown dialog purpose ${JSON.stringify(o.purpose)}`;
  if (o.defaultPath !== undefined) return str(o.defaultPath, 'defaultPath');
  return null;
}

function patchOp(value: unknown, i: number): string | null {
  if (typeof value !== 'object' || value === null) return `patch[${i}] must be an object`;
  const op = value as Partial<JsonPatchOp> & Record<string, unknown>;
  if (op.op !== 'add' && op.op !== 'remove' && op.op !== 'replace') return `patch[${i}].op must be add, remove or replace`;
  const p = str(op.path, `patch[${i}].path`, { empty: true });
  if (p) return p;
  if (op.path !== '' && !(op.path as string).startsWith('/')) return `patch[${i}].path must be a JSON pointer`;
  if (op.op !== 'remove' && !('value' in op)) return `patch[${i}] needs a value`;
  return null;
}

function labEdit(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return 'edit must be an object';
  const e = value as Record<string, unknown>;
  const l = str(e.label, 'edit.label', { max: 500 });
  if (l) return l;
  if (!Array.isArray(e.patch) || e.patch.length === 0) return 'edit.patch must be a non-empty array';
  for (let i = 0; i < e.patch.length; i++) {
    const problem = patchOp(e.patch[i], i);
    if (problem) return problem;
  }
  return null;
}

function labOrNull(value: unknown): string | null {
  if (value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) return 'lab must be an object or null';
  if (typeof (value as Record<string, unknown>).schemaVersion !== 'number') return 'lab.schemaVersion must be a number';
  return null;
}

export const API_VALIDATORS: Record<ApiMethod, Check> = {
  getAppInfo: count(0),
  getSession: count(0),
  newProject: all(count(2), (a) => str(a[0], 'path'), (a) => str(a[1], 'name', { max: 200 })),
  openProject: all(count(1), (a) => str(a[0], 'path')),
  openSampleProject: count(0),
  saveProjectAs: all(count(1), (a) => str(a[0], 'path')),
  getVariant: all(count(1), (a) => str(a[0], 'variantId', { max: 100 })),
  createVariant: all(
    count(3),
    (a) => str(a[0], 'name', { max: 200 }),
    (a) => (a[1] === null ? null : str(a[1], 'fromVariantId', { max: 100 })),
    (a) => labOrNull(a[2]),
  ),
  renameVariant: all(count(2), (a) => str(a[0], 'variantId', { max: 100 }), (a) => str(a[1], 'name', { max: 200 })),
  deleteVariant: all(count(1), (a) => str(a[0], 'variantId', { max: 100 })),
  applyEdit: all(count(3), (a) => str(a[0], 'variantId', { max: 100 }), (a) => int(a[1], 'baseRevision'), (a) => labEdit(a[2])),
  undo: all(count(1), (a) => str(a[0], 'variantId', { max: 100 })),
  redo: all(count(1), (a) => str(a[0], 'variantId', { max: 100 })),
  readTextFile: all(count(1), (a) => str(a[0], 'path')),
  readSnapshotFolder: all(count(1), (a) => str(a[0], 'path')),
  exportVariant: all(count(1), (a) => {
    const r = a[0] as Record<string, unknown> | null;
    if (typeof r !== 'object' || r === null) return 'request must be an object';
    return str(r.variantId, 'variantId', { max: 100 }) ?? str(r.target, 'target');
  }),
  showOpenDialog: all(count(1), (a) => dialogOptions(a[0])),
  showSaveDialog: all(count(1), (a) => dialogOptions(a[0])),
};

/** Throws ApiArgumentError when the arguments do not fit the method. */
export function validateApiArguments(method: ApiMethod, args: unknown[]): void {
  const check = API_VALIDATORS[method];
  if (!check) throw new ApiArgumentError(method, 'unknown method');
  const problem = check(args);
  if (problem) throw new ApiArgumentError(method, problem);
  // Strings as a whole are bounded too (a 64 MiB import is refused earlier, in main).
  for (const a of args) if (typeof a === 'string' && a.length > MAX_STRING) throw new ApiArgumentError(method, 'argument too large');
}
