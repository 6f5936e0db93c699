import { PUBLICATION_STATUSES } from '../../publishing/versioned.js';
import * as z from '../../zod.js';
import { ENTITY_ATTRIBUTE } from '../keys.js';
import { illustrativeFlag, nonEmpty, VersionSignatureSchema } from './item.js';

/**
 * The attributes every versioned document (conclusions, summary reports) stores beside its content, in the layout
 * they share (keys.ts, "Versioned documents"; shared/publishing/versioned.ts, VersionFields and CurrentFields):
 * the CURRENT item (`<PREFIX>#<id>` / `CURRENT`, listed in gsi1) and one item per version (`V#000001`), kept for ever.
 */

/** The kernel's fields of one version. */
export const versionFields = {
  id: nonEmpty,
  version: z.int().check(z.gte(1)),
  status: z.enum(PUBLICATION_STATUSES),
  agencyId: nonEmpty,
  documentNumber: nonEmpty,
  /** SHA-256 of the canonical JSON of the content (what idempotency compares). */
  contentHash: nonEmpty,
  /** When this version was accepted. */
  publishedAt: nonEmpty,
  /** Why this version replaced the previous one (corrections and retractions). */
  reason: z.optional(z.string()),
  signature: z.optional(VersionSignatureSchema),
  illustrative: illustrativeFlag,
};

/** What the CURRENT item adds: when the document was first created and last changed, and version 1's hash. */
export const currentFields = {
  createdAt: nonEmpty,
  updatedAt: nonEmpty,
  createdContentHash: nonEmpty,
};

/** The keys of a CURRENT item (`<prefix>#<id>` / `CURRENT`, gsi1 `<PARTITION>` / `<date>#<id>`) and its entity. */
export function currentKeys<E extends string>(prefix: string, partition: string, entity: E) {
  return {
    pk: z.string().check(z.startsWith(`${prefix}#`)),
    sk: z.literal('CURRENT'),
    gsi1pk: z.literal(partition),
    gsi1sk: nonEmpty,
    [ENTITY_ATTRIBUTE]: z.literal(entity),
  };
}

/** The keys of a version item (`<prefix>#<id>` / `V#000003`, no gsi1) and its entity. */
export function versionKeys<E extends string>(prefix: string, entity: E) {
  return {
    pk: z.string().check(z.startsWith(`${prefix}#`)),
    sk: z.string().check(z.regex(/^V#\d{6}$/)),
    [ENTITY_ATTRIBUTE]: z.literal(entity),
  };
}
