// Drops keys whose value is undefined, so a model read from XML has exactly the
// keys of what the file contains (equality checks and JSON snapshots stay stable).
export function omitUndefined<T extends object>(value: T): T {
  const out = {} as T;
  for (const key of Object.keys(value) as (keyof T)[]) {
    if (value[key] !== undefined) out[key] = value[key];
  }
  return out;
}
