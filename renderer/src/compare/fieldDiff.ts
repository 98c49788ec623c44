// Semantic differences between two networks (or any two JSON values): every
// leaf that differs, by its path in the model (`forward.mode`, `ips[0].dhcp.ranges[0].end`),
// so the compare view can say "forward mode: none → route" instead of showing
// text lines only.

export interface FieldChange {
  path: string;
  before: string | undefined;
  after: string | undefined;
}

function leaves(value: unknown, prefix: string, out: Map<string, string>): void {
  if (value === undefined) return;
  if (value === null || typeof value !== 'object') {
    out.set(prefix, String(value));
    return;
  }
  if (Array.isArray(value)) {
    if (value.length === 0) out.set(prefix, '[]');
    value.forEach((v, i) => leaves(v, `${prefix}[${i}]`, out));
    return;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  if (entries.length === 0 && prefix) out.set(prefix, '{}');
  for (const [k, v] of entries) leaves(v, prefix ? `${prefix}.${k}` : k, out);
}

export function fieldDiff(before: unknown, after: unknown): FieldChange[] {
  const a = new Map<string, string>();
  const b = new Map<string, string>();
  leaves(before, '', a);
  leaves(after, '', b);
  const paths = [...new Set([...a.keys(), ...b.keys()])].sort();
  return paths.filter((p) => a.get(p) !== b.get(p)).map((path) => ({ path, before: a.get(path), after: b.get(path) }));
}
