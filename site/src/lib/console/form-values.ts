import type { FieldNode, FormModel } from './form-model.js';

/**
 * Between the console's flat fields (dotted names → text, as a form or a CSV row gives them) and the JSON body of
 * a request, guided by the form model. Empty optional fields are left out; an empty row of a list is dropped
 * (a CSV template has room for more rows than a record needs), and `fieldOf` maps a path of the body back to the
 * field it came from, so a message lands on the right field even when an earlier row was dropped.
 */

/** Field name → values (several for a set of checkboxes). */
export type FormValues = ReadonlyMap<string, readonly string[]>;

export interface ReadResult {
  readonly body: Record<string, unknown>;
  /** The field name of a body path (`['discipline', 0, 'form']` → `discipline.1.form` if row 0 was empty). */
  readonly fieldOf: (path: readonly PropertyKey[]) => string;
}

const CODE_SEPARATOR = /[\s,;]+/;

/** Builds the request body from flat values. */
export function readValues(model: FormModel, values: FormValues): ReadResult {
  /** Body path prefix (`discipline.0`) → field name prefix (`discipline.1`), for dropped rows. */
  const renamed = new Map<string, string>();
  const body = readGroup(model.fields, '', '', values, renamed) ?? {};
  const fieldOf = (path: readonly PropertyKey[]): string => {
    let name = '';
    let bodyPrefix = '';
    for (const part of path) {
      bodyPrefix = bodyPrefix === '' ? String(part) : `${bodyPrefix}.${String(part)}`;
      name = renamed.get(bodyPrefix) ?? (name === '' ? String(part) : `${name}.${String(part)}`);
    }
    return name;
  };
  return { body, fieldOf };
}

function join(parent: string, key: string): string {
  return parent === '' ? key : `${parent}.${key}`;
}

function first(values: FormValues, name: string): string {
  return values.get(name)?.[0] ?? '';
}

function readGroup(
  nodes: readonly FieldNode[],
  name: string,
  bodyPath: string,
  values: FormValues,
  renamed: Map<string, string>,
): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  let any = false;
  for (const node of nodes) {
    const value = readNode(node, join(name, node.key), join(bodyPath, node.key), values, renamed);
    if (value !== undefined) {
      out[node.key] = value;
      any = true;
    }
  }
  return any ? out : undefined;
}

function readNode(
  node: FieldNode,
  name: string,
  bodyPath: string,
  values: FormValues,
  renamed: Map<string, string>,
): unknown {
  switch (node.kind) {
    case 'group': {
      const group = readGroup(node.children, name, bodyPath, values, renamed);
      // A required group stays, empty, so the schema names its missing fields.
      return group ?? (node.required ? {} : undefined);
    }
    case 'rows': {
      const rows: unknown[] = [];
      for (const index of rowIndexes(values, name)) {
        const rowName = join(name, String(index));
        const rowBody = join(bodyPath, String(rows.length));
        const row =
          node.item.kind === 'group'
            ? readGroup(node.item.children, rowName, rowBody, values, renamed)
            : readNode(node.item, rowName, rowBody, values, renamed);
        if (row === undefined || isEmpty(row)) continue;
        if (rowName !== rowBody) renamed.set(rowBody, rowName);
        rows.push(row);
      }
      return rows.length > 0 || node.required ? rows : undefined;
    }
    case 'choices': {
      const picked = (values.get(name) ?? []).flatMap((v) => v.split(CODE_SEPARATOR)).filter((v) => v !== '');
      return picked.length > 0 || node.required ? picked : undefined;
    }
    case 'codes': {
      const codes = first(values, name)
        .split(CODE_SEPARATOR)
        .filter((v) => v !== '');
      return codes.length > 0 || node.required ? codes : undefined;
    }
    case 'lines': {
      const lines = first(values, name)
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter((line) => line !== '')
        .map(structuredLine);
      return lines.length > 0 || node.required ? lines : undefined;
    }
    case 'integer':
    case 'number': {
      const text = first(values, name).trim();
      if (text === '') return undefined;
      // Anything that is not plainly a number stays text, so the schema says what is wrong with it.
      return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
    }
    case 'boolean': {
      const text = first(values, name).trim().toLowerCase();
      if (text === '') return undefined;
      return ['on', 'true', '1', 'yes', 'có'].includes(text);
    }
    default: {
      const text = first(values, name);
      return text.trim() === '' ? undefined : text;
    }
  }
}

/**
 * A line of a list whose items may also be structured (legalBasis: `{ "number", "issuer", "issuedOn" }`): such an
 * item is written as its JSON on one line, so a correction sends it back whole; other lines stay text.
 */
function structuredLine(line: string): unknown {
  if (!line.startsWith('{')) return line;
  try {
    return JSON.parse(line) as unknown;
  } catch {
    return line;
  }
}

function lineOf(item: unknown): string {
  return item !== null && typeof item === 'object' ? JSON.stringify(item) : String(item);
}

function isEmpty(value: unknown): boolean {
  if (value === undefined) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (value !== null && typeof value === 'object') return Object.values(value).every(isEmpty);
  return false;
}

/** The row indexes present among the values of a list, in order (`discipline.0.…`, `discipline.2.…`). */
export function rowIndexes(values: FormValues | Iterable<string>, name: string): number[] {
  const prefix = `${name}.`;
  const found = new Set<number>();
  const names = values instanceof Map ? values.keys() : (values as Iterable<string>);
  for (const key of names) {
    if (!key.startsWith(prefix)) continue;
    const index = Number(key.slice(prefix.length).split('.')[0]);
    if (Number.isInteger(index) && index >= 0) found.add(index);
  }
  return [...found].sort((a, b) => a - b);
}

/** The flat values of a body (to fill the form with a record to correct, or a CSV row). */
export function writeValues(model: FormModel, body: Record<string, unknown>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  writeGroup(model.fields, '', body, out);
  return out;
}

function writeGroup(nodes: readonly FieldNode[], name: string, body: unknown, out: Map<string, string[]>): void {
  const record = body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  for (const node of nodes) writeNode(node, join(name, node.key), record[node.key], out);
}

function writeNode(node: FieldNode, name: string, value: unknown, out: Map<string, string[]>): void {
  if (value === undefined || value === null) return;
  switch (node.kind) {
    case 'group':
      writeGroup(node.children, name, value, out);
      return;
    case 'rows':
      if (!Array.isArray(value)) return;
      value.forEach((row, index) => {
        const rowName = join(name, String(index));
        if (node.item.kind === 'group') writeGroup(node.item.children, rowName, row, out);
        else writeNode(node.item, rowName, row, out);
      });
      return;
    case 'choices':
      out.set(name, Array.isArray(value) ? value.map(String) : [String(value)]);
      return;
    case 'codes':
      out.set(name, [Array.isArray(value) ? value.map(String).join(', ') : String(value)]);
      return;
    case 'lines':
      out.set(name, [(Array.isArray(value) ? value : [value]).map(lineOf).join('\n')]);
      return;
    default:
      out.set(name, [String(value)]);
  }
}

/** The content fields of a published record, as a correction sends them again (response-only fields left out). */
export function contentOf(model: FormModel, record: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const node of model.fields) if (record[node.key] !== undefined) out[node.key] = record[node.key];
  return out;
}
