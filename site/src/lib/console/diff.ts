/**
 * What changed between two versions of a record, field by field (dotted paths), for the console's 412 answer:
 * the agency sees what someone else changed meanwhile before deciding what to send.
 */

export interface FieldChange {
  readonly path: string;
  readonly before: string;
  readonly after: string;
}

function flatten(value: unknown, path: string, out: Map<string, string>): void {
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      flatten(item, path === '' ? String(index) : `${path}.${index}`, out);
    });
  } else if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) flatten(inner, path === '' ? key : `${path}.${key}`, out);
  } else if (value !== undefined) out.set(path, value === null ? '' : String(value));
}

/** The fields whose values differ, in the order of the newer record. */
export function diffRecords(before: unknown, after: unknown): FieldChange[] {
  const a = new Map<string, string>();
  const b = new Map<string, string>();
  flatten(before, '', a);
  flatten(after, '', b);
  const paths = [...new Set([...b.keys(), ...a.keys()])];
  return paths
    .filter((path) => a.get(path) !== b.get(path))
    .map((path) => ({ path, before: a.get(path) ?? '', after: b.get(path) ?? '' }));
}
