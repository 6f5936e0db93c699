import { UnitCodeSchema } from '../../../../shared/publishing/schemas.js';
import * as z from '../../../../shared/zod.js';

/**
 * The agency console's form, derived from the API's own zod schemas (through their JSON Schema), so a field the
 * schema gains appears in the console without a change here: text, dates, numbers, choices, lists of codes
 * (one comma-separated field), lists of lines, groups (`summary.vi`, `summary.en`) and repeated rows
 * (`discipline.0.form`). Field names are the dotted JSON paths of CONTRACT.md ("The agency console").
 */

interface JsonSchema {
  readonly type?: string | readonly string[];
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly items?: JsonSchema;
  readonly anyOf?: readonly JsonSchema[];
  readonly oneOf?: readonly JsonSchema[];
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly pattern?: string;
  readonly format?: string;
  readonly maxLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly maxItems?: number;
  readonly minItems?: number;
  readonly default?: unknown;
  readonly additionalProperties?: JsonSchema | boolean;
  readonly propertyNames?: JsonSchema;
}

interface NodeBase {
  /** The key of this field in its parent object (`form`), or `[]` for the item of a list. */
  readonly key: string;
  /** Generic path: `discipline.[].form` (the labels are keyed by it). */
  readonly generic: string;
  readonly required: boolean;
}

export type FieldNode =
  | (NodeBase & {
      readonly kind: 'text';
      readonly multiline: boolean;
      readonly maxLength?: number;
      readonly pattern?: string;
    })
  | (NodeBase & { readonly kind: 'date' })
  | (NodeBase & { readonly kind: 'integer' | 'number'; readonly min?: number; readonly max?: number })
  | (NodeBase & { readonly kind: 'boolean' })
  | (NodeBase & { readonly kind: 'choice'; readonly options: readonly string[] })
  | (NodeBase & { readonly kind: 'choices'; readonly options: readonly string[] })
  /** A list of codes (`inspectedUnits`): one field, values separated by commas. */
  | (NodeBase & { readonly kind: 'codes'; readonly pattern?: string })
  /** A list of free text lines (`legalBasis`): one field, one value a line. */
  | (NodeBase & { readonly kind: 'lines' })
  | (NodeBase & { readonly kind: 'group'; readonly children: readonly FieldNode[] })
  | (NodeBase & { readonly kind: 'rows'; readonly item: FieldNode; readonly maxItems?: number });

export type LeafNode = Exclude<FieldNode, { kind: 'group' | 'rows' }>;

/** The form of a request schema: its top-level fields in declaration order. */
export interface FormModel {
  readonly fields: readonly FieldNode[];
}

const DATE_PATTERN = '^\\d{4}-\\d{2}-\\d{2}$';
/** Longer text than this is a multi-line field. */
const MULTILINE_FROM = 1000;

/** Builds the form model of an object schema (a request body). */
export function formModel(schema: z.core.$ZodType): FormModel {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const root = describe(json, '', '', true);
  if (root.kind !== 'group') throw new TypeError('the form of a request needs an object schema');
  return { fields: root.children };
}

function nonNull(node: JsonSchema): JsonSchema {
  const options = (node.anyOf ?? node.oneOf)?.filter((option) => option.type !== 'null');
  return options?.length === 1 && options[0] ? nonNull(options[0]) : node;
}

function join(parent: string, key: string): string {
  return parent === '' ? key : `${parent}.${key}`;
}

function describe(raw: JsonSchema, key: string, generic: string, required: boolean): FieldNode {
  const node = nonNull(raw);
  const base = { key, generic, required };
  if (node.properties) {
    const requiredKeys = new Set(node.required ?? []);
    return {
      ...base,
      kind: 'group',
      children: Object.entries(node.properties).map(([childKey, child]) =>
        describe(child, childKey, join(generic, childKey), requiredKeys.has(childKey)),
      ),
    };
  }
  // A record keyed by a closed list (`violations.byCategory`): one optional field per key.
  if (node.propertyNames?.enum && typeof node.additionalProperties === 'object') {
    const value = node.additionalProperties;
    return {
      ...base,
      kind: 'group',
      children: node.propertyNames.enum
        .map(String)
        .map((childKey) => describe(value, childKey, join(generic, childKey), false)),
    };
  }
  if (node.type === 'array' && node.items) {
    // An item that may be plain text or a structured form of it (legalBasis: `24-CT/TU`, or the document with its
    // issuer and date) is written in its plain form: one value a line.
    const textOption = (node.items.anyOf ?? node.items.oneOf)?.find((option) => option.type === 'string');
    const item = textOption ?? nonNull(node.items);
    if (item.enum) return { ...base, kind: 'choices', options: item.enum.map(String) };
    if (item.type === 'string') {
      // Codes have a pattern of their own (`^(\d{2}|\d{3}|\d{5})$`); free text has none, or only the rule
      // against control characters, and may hold commas: one value a line.
      return item.pattern && !item.pattern.includes('\\P{Cc}')
        ? { ...base, kind: 'codes', pattern: item.pattern }
        : { ...base, kind: 'lines' };
    }
    return {
      ...base,
      kind: 'rows',
      item: describe(item, '[]', join(generic, '[]'), true),
      ...(node.maxItems !== undefined ? { maxItems: node.maxItems } : {}),
    };
  }
  if (node.enum) return { ...base, kind: 'choice', options: node.enum.map(String) };
  if (node.const !== undefined) return { ...base, kind: 'choice', options: [String(node.const)] };
  if (node.type === 'integer' || node.type === 'number') {
    return {
      ...base,
      kind: node.type,
      ...(node.minimum !== undefined ? { min: node.minimum } : {}),
      ...(node.maximum !== undefined ? { max: node.maximum } : {}),
    };
  }
  if (node.type === 'boolean') return { ...base, kind: 'boolean' };
  if (node.pattern === DATE_PATTERN || node.format === 'date') return { ...base, kind: 'date' };
  return {
    ...base,
    kind: 'text',
    multiline: (node.maxLength ?? 0) >= MULTILINE_FROM,
    ...(node.maxLength !== undefined ? { maxLength: node.maxLength } : {}),
    ...(node.pattern !== undefined ? { pattern: node.pattern } : {}),
  };
}

/**
 * Every leaf field name of a model with `rows` rows of each list (for a CSV template): `discipline.0.form`,
 * `discipline.1.form`…
 */
export function leafNames(model: FormModel, rows: (node: FieldNode) => number): { name: string; node: LeafNode }[] {
  const out: { name: string; node: LeafNode }[] = [];
  const walk = (nodes: readonly FieldNode[], prefix: string) => {
    for (const node of nodes) {
      const name = join(prefix, node.key);
      if (node.kind === 'group') walk(node.children, name);
      else if (node.kind === 'rows') {
        for (let index = 0; index < rows(node); index++) {
          const itemName = join(name, String(index));
          if (node.item.kind === 'group') walk(node.item.children, itemName);
          else walk([{ ...node.item, key: '' } as FieldNode], itemName);
        }
      } else out.push({ name: name.replace(/\.$/, ''), node });
    }
  };
  walk(model.fields, '');
  return out;
}

/** The pattern of a GSO unit code, from UnitCodeSchema itself: fields with it get the unit finder. */
export const UNIT_CODE_PATTERN = (z.toJSONSchema(UnitCodeSchema) as JsonSchema).pattern;

/** True for a field holding unit codes (one, or a comma-separated list). */
export function holdsUnitCodes(node: FieldNode): boolean {
  return (
    (node.kind === 'codes' || node.kind === 'text') && node.pattern !== undefined && node.pattern === UNIT_CODE_PATTERN
  );
}
