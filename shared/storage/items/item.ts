import { isIsoDate } from '../../time/periods.js';
import * as z from '../../zod.js';
import { ENTITY_ATTRIBUTE } from '../keys.js';

/**
 * What every item schema of this folder shares. Each stored record that moves or publishes figures has one schema
 * here (survey.ts, comment.ts, report.ts, conclusion.ts, summary.ts): its keys, its gsi1 keys and every stored
 * attribute, described once. The repository builds the item through it (a field it does not describe fails the
 * write), reads it back through it (a malformed item fails the read, here, not three calls later), and the stream
 * consumer and the export parse the images and the items they read with the same schema.
 */

/** A stored item that does not have its schema's shape: nothing downstream can trust it, so the read fails. */
export class MalformedItemError extends Error {
  override readonly name = 'MalformedItemError';
}

/** Parses an item (or a record about to become one) with its schema; MalformedItemError names the first issue. */
export function parseItem<S extends z.core.$ZodType>(schema: S, item: unknown, what: string): z.output<S> {
  const parsed = z.safeParse(schema, item);
  if (!parsed.success)
    throw new MalformedItemError(`${what} item: ${firstIssue(parsed.error)}`, { cause: parsed.error });
  return parsed.data;
}

/** `path: message` of a zod error's first issue (what a log line or an InvalidRecordError says). */
export function firstIssue(error: z.core.$ZodError): string {
  const issue = error.issues[0];
  const where = issue?.path.length ? issue.path.join('.') : '(item)';
  return `${where}: ${issue?.message ?? 'invalid'}`;
}

/** The attributes that place an item in the table (keys, gsi1 keys, entity): not part of the record. */
export const KEY_ATTRIBUTES = ['pk', 'sk', 'gsi1pk', 'gsi1sk', ENTITY_ATTRIBUTE] as const;

/** An item without its keys and entity: the record as the domain knows it. */
export function withoutKeys<T extends Readonly<Record<string, unknown>>>(
  item: T,
): Omit<T, (typeof KEY_ATTRIBUTES)[number]> {
  const { pk: _pk, sk: _sk, gsi1pk: _gsi1pk, gsi1sk: _gsi1sk, [ENTITY_ATTRIBUTE]: _entity, ...rest } = item;
  return rest as Omit<T, (typeof KEY_ATTRIBUTES)[number]>;
}

/** Builds the item of a record through its schema: the record's attributes, its keys and its entity. */
export function buildItem<S extends z.core.$ZodType>(
  schema: S,
  entity: string,
  keys: Readonly<Record<string, string>>,
  record: object,
): z.output<S> {
  return parseItem(schema, { ...record, ...keys, [ENTITY_ATTRIBUTE]: entity }, entity);
}

/** The record an item holds, parsed through its schema (a malformed item fails here), without keys and entity. */
export function recordOf<S extends z.core.$ZodType>(
  schema: S,
  entity: string,
  item: unknown,
): Omit<z.output<S>, (typeof KEY_ATTRIBUTES)[number]> {
  return withoutKeys(parseItem(schema, item, entity) as Readonly<Record<string, unknown>>) as Omit<
    z.output<S>,
    (typeof KEY_ATTRIBUTES)[number]
  >;
}

/** An item's stored fields: what its record must name too (SameFields). */
export type StoredFields<T> = Omit<T, (typeof KEY_ATTRIBUTES)[number]>;

/**
 * Compile-time proof that a schema's stored fields and the domain's record type name the same attributes: a field
 * added to one and not the other fails `npm run typecheck` (`const check: SameFields<A, B> = true`).
 */
export type SameFields<A, B> = [Exclude<keyof A, keyof B>, Exclude<keyof B, keyof A>] extends [never, never]
  ? true
  : { readonly onlyInSchema: Exclude<keyof A, keyof B>; readonly onlyInRecord: Exclude<keyof B, keyof A> };

// Attribute types several items share.
export const nonEmpty = z.string().check(z.minLength(1));
export const isoDate = z.string().check(z.refine(isIsoDate, 'a date YYYY-MM-DD'));
export const nonNegativeInt = z.int().check(z.nonnegative());
export const illustrativeFlag = z.optional(z.literal(true));

/** The agency's signed request that made a version (shared/auth/signed-request.ts, VersionSignature). */
export const VersionSignatureSchema = z.strictObject({
  jws: nonEmpty,
  keyThumbprint: nonEmpty,
  jti: nonEmpty,
  bodySha256: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
});

/**
 * The attributes of an item one reader needs, from the item's own schema (the same description of each), every
 * other attribute stripped unread: the stream consumer counts a few attributes of an image and need not re-check
 * what the writer checked when it built the item.
 */
export function projection<S extends z.ZodMiniObject, M extends z.core.util.Mask<keyof S['shape']>>(
  schema: S,
  mask: M,
): z.ZodMiniObject<Pick<S['shape'], keyof M & keyof S['shape']>, z.core.$strip> {
  return z.pick(z.object(schema.shape), mask as never) as never;
}
