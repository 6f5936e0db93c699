import { signedBodyPath, type VersionSignature } from '../auth/signed-request.js';
import * as z from '../zod.js';

/**
 * One entry of the transparency log: one published version of a conclusion, summary or report, as UTF-8 JSON
 * (CONTRACT.md, "Verifiable publication"). It names the version (`type`, `id`, `version`, `status`), who signed it
 * with which key (`agency`, `keyThumbprint`, `jti`), the agency's compact JWS exactly as sent (`jws`) and where the
 * signed body bytes are published (`body`, whose SHA-256 is `bodySha256` and the JWS's `bh`). The bytes are made
 * once, when the entry is appended, and never made again: the tree hashes them as stored.
 */

export const LOG_ENTRY_TYPES = ['conclusion', 'summary', 'report'] as const;
export type LogEntryType = (typeof LOG_ENTRY_TYPES)[number];

export const LogEntrySchema = z.strictObject({
  type: z.enum(LOG_ENTRY_TYPES),
  id: z.string().check(z.minLength(1), z.maxLength(200)),
  version: z.number().check(z.int(), z.gt(0)),
  status: z.optional(z.string().check(z.minLength(1), z.maxLength(40))),
  agency: z.string().check(z.minLength(1), z.maxLength(64)),
  keyThumbprint: z.string().check(z.regex(/^[A-Za-z0-9_-]{43}$/)),
  jti: z.string().check(z.minLength(1), z.maxLength(128)),
  jws: z.string().check(z.regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/)),
  body: z.string().check(z.startsWith('/')),
  bodySha256: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
  publishedAt: z.string().check(z.minLength(1), z.maxLength(40)),
});
export type LogEntry = z.infer<typeof LogEntrySchema>;

/**
 * The stored records whose new versions are logged, by their `entity` (shared/storage/keys.ts): a record type that
 * publishes signed versions adds its version item here. For reports, the one item is its current version.
 */
export const LOGGED_ENTITIES: Readonly<Record<string, LogEntryType>> = {
  'conclusion-version': 'conclusion',
  'summary-version': 'summary',
  report: 'report',
};

/** The entry of a version image from the records stream, or undefined when it is not a signed version to log. */
export function logEntryFromImage(image: Readonly<Record<string, unknown>> | undefined): LogEntry | undefined {
  if (!image) return undefined;
  const type = LOGGED_ENTITIES[String(image.entity)];
  const signature = image.signature as VersionSignature | undefined;
  if (!type || !signature || typeof signature !== 'object') return undefined;
  return LogEntrySchema.parse({
    type,
    id: image.id,
    version: image.version,
    ...(typeof image.status === 'string' ? { status: image.status } : {}),
    agency: image.agencyId,
    keyThumbprint: signature.keyThumbprint,
    jti: signature.jti,
    jws: signature.jws,
    body: signedBodyPath(signature.bodySha256),
    bodySha256: signature.bodySha256,
    publishedAt: image.publishedAt ?? image.updatedAt,
  });
}

/** The entry's bytes: JSON in a fixed member order, UTF-8. */
export function encodeLogEntry(entry: LogEntry): Uint8Array {
  const ordered: LogEntry = {
    type: entry.type,
    id: entry.id,
    version: entry.version,
    ...(entry.status !== undefined ? { status: entry.status } : {}),
    agency: entry.agency,
    keyThumbprint: entry.keyThumbprint,
    jti: entry.jti,
    jws: entry.jws,
    body: entry.body,
    bodySha256: entry.bodySha256,
    publishedAt: entry.publishedAt,
  };
  return new TextEncoder().encode(JSON.stringify(ordered));
}

/** Reads an entry's bytes; throws when they are not a valid entry. */
export function decodeLogEntry(bytes: Uint8Array): LogEntry {
  return LogEntrySchema.parse(JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)));
}

/** The key that makes an entry unique: one entry per published version. */
export function versionKey(entry: Pick<LogEntry, 'type' | 'id' | 'version'>): string {
  return `${entry.type}#${entry.id}#${entry.version}`;
}
