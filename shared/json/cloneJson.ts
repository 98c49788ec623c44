// Deep copy of plain JSON data. shared/ has no structuredClone (it is a host
// global, not ECMAScript); labs, rulesets and models are JSON by design.
export function cloneJson<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}
