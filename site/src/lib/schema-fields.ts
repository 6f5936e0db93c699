import * as z from '../../../shared/zod.js';

/**
 * The fields of an open-data file, listed from its zod schema (the one the export writes it with), so the
 * open-data page can never drift from the files: `periods.<period>.inspections.byKind.<key>: integer`.
 */

export interface SchemaField {
  /** Dotted path; `[]` marks the items of an array, `<key>` the keys of a map. */
  readonly path: string;
  readonly type: string;
}

type JsonSchema = {
  readonly type?: string | readonly string[];
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly additionalProperties?: JsonSchema | boolean;
  readonly propertyNames?: JsonSchema;
  readonly items?: JsonSchema;
  readonly anyOf?: readonly JsonSchema[];
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly pattern?: string;
};

/** The leaf fields of a schema, depth first, in declaration order. */
export function schemaFields(schema: z.core.$ZodType): SchemaField[] {
  const json = z.toJSONSchema(schema, { unrepresentable: 'any' }) as JsonSchema;
  const out: SchemaField[] = [];
  walk(json, '', out);
  return out;
}

function walk(node: JsonSchema, path: string, out: SchemaField[]): void {
  const nonNull = node.anyOf?.filter((option) => option.type !== 'null');
  if (nonNull && nonNull.length === 1 && nonNull[0]) {
    const inner = nonNull[0];
    if (inner.properties) {
      out.push({ path: path || '(root)', type: 'object | null' });
      walk(inner, path, out);
      return;
    }
    out.push({ path, type: `${describe(inner)} | null` });
    return;
  }
  if (node.properties) {
    for (const [key, child] of Object.entries(node.properties)) walk(child, join(path, key), out);
    return;
  }
  if (node.type === 'array' && node.items) {
    walk(node.items, `${path}[]`, out);
    return;
  }
  if (node.type === 'object' && typeof node.additionalProperties === 'object') {
    const keys = node.propertyNames?.enum;
    const placeholder = keys ? `<${keys.map(String).join(' | ')}>` : `<${keyName(path, node.propertyNames?.pattern)}>`;
    walk(node.additionalProperties, join(path, placeholder), out);
    return;
  }
  out.push({ path, type: describe(node) });
}

function describe(node: JsonSchema): string {
  if (node.enum) return node.enum.map((v) => JSON.stringify(v)).join(' | ');
  if (node.const !== undefined) return JSON.stringify(node.const);
  if (node.anyOf) return node.anyOf.map(describe).join(' | ');
  if (Array.isArray(node.type)) return node.type.join(' | ');
  if (typeof node.type === 'string') return node.type;
  return 'any';
}

function keyName(path: string, pattern: string | undefined): string {
  if (pattern?.includes('Q[1-4]')) return 'YYYY | YYYY-Qn | YYYY-MM';
  const last = path.split('.').at(-1) ?? '';
  return last === '' ? 'key' : `${last} key`;
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}
