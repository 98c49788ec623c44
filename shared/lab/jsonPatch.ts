// RFC 6902 add/remove/replace, applied immutably, with the inverse patch.
//
// The store records every edit of a lab as a patch plus its inverse (undo/redo
// across restarts); the renderer applies the same patches optimistically. So the
// rules are RFC 6902 / RFC 6901 to the letter where they matter for a lab:
// - pointers are "" (the whole document) or "/"-separated tokens with `~1` = "/"
//   and `~0` = "~" (RFC 6901 §4), any other `~` escape is refused;
// - array tokens are decimal indexes without leading zeros, `-` means "after the
//   last element" and is only valid for `add` (RFC 6901 §4, RFC 6902 §4.1);
// - `add` on an existing object member replaces it (RFC 6902 §4.1);
// - the patch is atomic: an error in any operation leaves the document untouched
//   (RFC 6902 §5) — trivially so here, because nothing is mutated.
//
// Untouched subtrees are shared between the input and the result (structural
// sharing, cheap for Svelte's $state.raw); treat both as immutable. Values taken
// from the patch are deep-copied, so a caller mutating its patch later cannot
// reach into the document.

import type { JsonPatchOp } from '../api/contract.ts';
import { cloneJson } from '../json/cloneJson.ts';

export type { JsonPatchOp };

export class JsonPatchError extends Error {
  constructor(
    readonly opIndex: number,
    readonly path: string,
    problem: string,
  ) {
    super(`patch[${opIndex}] ${JSON.stringify(path)}: ${problem}`);
    this.name = 'JsonPatchError';
  }
}

export interface PatchResult<T> {
  doc: T;
  /** Applying `inverse` to `doc` gives back the input document. */
  inverse: JsonPatchOp[];
}

type Container = unknown[] | Record<string, unknown>;

/** Splits a JSON pointer into its unescaped tokens (RFC 6901). Throws a plain Error naming the pointer. */
export function parseJsonPointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new Error(`${JSON.stringify(pointer)} is not a JSON pointer: it must be empty or start with "/"`);
  return pointer
    .slice(1)
    .split('/')
    .map((raw) => {
      const bad = /~(?![01])/.exec(raw);
      if (bad) throw new Error(`invalid escape "${raw.slice(bad.index, bad.index + 2)}" in ${JSON.stringify(raw)} (only ~0 and ~1 exist)`);
      return raw.replace(/~1/g, '/').replace(/~0/g, '~');
    });
}

/** Builds a pointer from tokens, escaping `~` and `/` (e.g. file paths used as keys). */
export function formatJsonPointer(tokens: readonly (string | number)[]): string {
  return tokens.map((t) => '/' + String(t).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

/** The value at `pointer`, or undefined when it does not exist. */
export function getAtPointer(doc: unknown, pointer: string): unknown {
  let node = doc;
  for (const token of parseJsonPointer(pointer)) {
    if (Array.isArray(node)) {
      if (!/^(0|[1-9][0-9]*)$/.test(token)) return undefined;
      node = node[Number(token)];
    } else if (isObject(node)) {
      if (!Object.hasOwn(node, token)) return undefined;
      node = node[token];
    } else return undefined;
  }
  return node;
}

/** Applies `patch` to `doc` without mutating it; returns the new document and the inverse patch. */
export function applyPatch<T>(doc: T, patch: readonly JsonPatchOp[]): PatchResult<T> {
  let current: unknown = doc;
  const inverses: JsonPatchOp[] = [];
  patch.forEach((op, index) => {
    const step = applyOperation(current, op, index);
    current = step.doc;
    inverses.push(step.inverse);
  });
  return { doc: current as T, inverse: inverses.reverse() };
}

function applyOperation(root: unknown, op: JsonPatchOp, index: number): { doc: unknown; inverse: JsonPatchOp } {
  const fail = (problem: string): never => {
    throw new JsonPatchError(index, typeof op?.path === 'string' ? op.path : String(op?.path), problem);
  };
  if (op === null || typeof op !== 'object') fail('operation must be an object');
  if (op.op !== 'add' && op.op !== 'remove' && op.op !== 'replace') fail(`unsupported op ${JSON.stringify((op as { op?: unknown }).op)} (add, remove, replace)`);
  if (typeof op.path !== 'string') fail('path must be a string');
  let tokens: string[] = [];
  try {
    tokens = parseJsonPointer(op.path);
  } catch (err) {
    fail((err as Error).message);
  }
  let value: unknown;
  if (op.op !== 'remove') {
    if (op.value === undefined) fail(`${op.op} needs a value`);
    value = cloneJson(op.value);
  }

  if (tokens.length === 0) {
    if (op.op === 'remove') fail('cannot remove the whole document');
    return { doc: value, inverse: { op: 'replace', path: '', value: root } };
  }

  let inverse: JsonPatchOp | undefined;
  const doc = rebuild(root, tokens, 0, '', fail, (parent, token, where) => {
    if (Array.isArray(parent)) {
      const length = parent.length;
      if (op.op === 'add') {
        const at = token === '-' ? length : arrayIndex(token, where, fail);
        if (at > length) fail(`index ${at} is past the end of ${name(where)} (${length} items)`);
        parent.splice(at, 0, value);
        inverse = { op: 'remove', path: joinPath(where, String(at)) };
        return;
      }
      const at = arrayIndex(token, where, fail);
      if (at >= length) fail(`${op.path} does not exist: ${name(where)} has ${length} items`);
      const old = parent[at];
      if (op.op === 'remove') {
        parent.splice(at, 1);
        inverse = { op: 'add', path: op.path, value: old };
      } else {
        parent[at] = value;
        inverse = { op: 'replace', path: op.path, value: old };
      }
      return;
    }
    const exists = Object.hasOwn(parent, token);
    const old = exists ? parent[token] : undefined;
    if (op.op === 'add') {
      define(parent, token, value);
      inverse = exists ? { op: 'replace', path: op.path, value: old } : { op: 'remove', path: op.path };
      return;
    }
    if (!exists) fail(`${op.path} does not exist`);
    if (op.op === 'remove') {
      delete parent[token];
      inverse = { op: 'add', path: op.path, value: old };
    } else {
      define(parent, token, value);
      inverse = { op: 'replace', path: op.path, value: old };
    }
  });
  return { doc, inverse: inverse! };
}

/** Copies the containers along `tokens` and lets `leaf` change the (copied) last parent. */
function rebuild(
  node: unknown,
  tokens: string[],
  depth: number,
  where: string,
  fail: (problem: string) => never,
  leaf: (parent: Container, token: string, where: string) => void,
): unknown {
  if (!Array.isArray(node) && !isObject(node)) fail(`${where || 'the document'} is ${describe(node)}, not an object or array`);
  const copy: Container = Array.isArray(node) ? [...node] : { ...(node as Record<string, unknown>) };
  const token = tokens[depth];
  if (depth === tokens.length - 1) {
    leaf(copy, token, where);
    return copy;
  }
  const childWhere = joinPath(where, token);
  let child: unknown;
  if (Array.isArray(copy)) {
    const at = arrayIndex(token, where, fail);
    if (at >= copy.length) fail(`${childWhere} does not exist: ${name(where)} has ${copy.length} items`);
    child = copy[at];
    copy[at] = rebuild(child, tokens, depth + 1, childWhere, fail, leaf);
  } else {
    if (!Object.hasOwn(copy, token)) fail(`${childWhere} does not exist`);
    child = copy[token];
    define(copy, token, rebuild(child, tokens, depth + 1, childWhere, fail, leaf));
  }
  return copy;
}

function arrayIndex(token: string, where: string, fail: (problem: string) => never): number {
  if (token === '-') fail(`"-" (end of ${name(where)}) is only valid for add`);
  if (!/^(0|[1-9][0-9]*)$/.test(token)) fail(`${JSON.stringify(token)} is not an array index of ${name(where)}`);
  return Number(token);
}

function name(where: string): string {
  return where || 'the document';
}

function joinPath(where: string, token: string): string {
  return where + formatJsonPointer([token]);
}

// defineProperty rather than assignment: a key named "__proto__" must become a
// plain member, never the object's prototype.
function define(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return `a string (${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)})`;
  return `a ${typeof value}`;
}
