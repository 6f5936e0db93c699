import type { ConclusionRecord, ConclusionVersionRecord } from '../../conclusions/records.js';
import { ConclusionFieldsSchema } from '../../conclusions/schemas.js';
import * as z from '../../zod.js';
import { CONCLUSION_ENTITY, CONCLUSION_PREFIX, CONCLUSION_VERSION_ENTITY, CONCLUSIONS_PARTITION } from '../keys.js';
import { nonEmpty, nonNegativeInt, type SameFields } from './item.js';
import { currentFields, currentKeys, versionFields, versionKeys } from './versioned.js';

/**
 * A conclusion as stored (keys.ts, "Conclusions"): the only description of its items. The content is the API's
 * (ConclusionFieldsSchema, CONTRACT.md: a field added there is stored, read and exported with no change here);
 * this adds what the service derives (unitIds, the attachment) and the versioned layout's fields and keys.
 * Corrections and retractions MODIFY the CURRENT item (the stream consumer takes the old image out and puts the new
 * one in); version items are kept for ever.
 */

/** The signed PDF of a version: its hash and size are published; `key` names the stored object. */
export const AttachmentSchema = z.strictObject({
  sha256: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
  bytes: nonNegativeInt,
  mediaType: z.literal('application/pdf'),
  key: nonEmpty,
  attachedAt: nonEmpty,
});

const conclusionVersionFields = {
  ...ConclusionFieldsSchema.shape,
  ...versionFields,
  /** The registry ids the inspected unit codes resolved to on `issuedOn`, in their order. */
  unitIds: z.array(nonEmpty).check(z.minLength(1)),
  attachment: z.optional(AttachmentSchema),
};

/** The CURRENT item: the whole current version, flat, listed in gsi1 `CONCLUSIONS` by date issued. */
export const ConclusionItemSchema = z.strictObject({
  ...currentKeys(CONCLUSION_PREFIX, CONCLUSIONS_PARTITION, CONCLUSION_ENTITY),
  ...conclusionVersionFields,
  ...currentFields,
});

/** One version, kept for ever (the current state's own fields left out). */
export const ConclusionVersionItemSchema = z.strictObject({
  ...versionKeys(CONCLUSION_PREFIX, CONCLUSION_VERSION_ENTITY),
  ...conclusionVersionFields,
});

export type ConclusionItem = z.output<typeof ConclusionItemSchema>;
export type ConclusionVersionItem = z.output<typeof ConclusionVersionItemSchema>;

const sameCurrent: SameFields<
  Omit<ConclusionItem, 'pk' | 'sk' | 'gsi1pk' | 'gsi1sk' | 'entity'>,
  ConclusionRecord
> = true;
const sameVersion: SameFields<Omit<ConclusionVersionItem, 'pk' | 'sk' | 'entity'>, ConclusionVersionRecord> = true;
void sameCurrent;
void sameVersion;
