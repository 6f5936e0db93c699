import type { SummaryRecord, SummaryVersionRecord } from '../../summaries/records.js';
import { SummaryFieldsSchema } from '../../summaries/schemas.js';
import * as z from '../../zod.js';
import { SUMMARIES_PARTITION, SUMMARY_ENTITY, SUMMARY_PREFIX, SUMMARY_VERSION_ENTITY } from '../keys.js';
import { nonEmpty, type SameFields } from './item.js';
import { currentFields, currentKeys, versionFields, versionKeys } from './versioned.js';

/**
 * A summary report as stored (keys.ts, "Summaries"): the only description of its items. The content is the API's
 * (SummaryFieldsSchema, figures as stated); this adds the unit `jurisdiction` resolved to and the versioned layout's
 * fields and keys. Summaries move no counter: the stream consumer only marks the site dirty when one changes.
 */

const summaryVersionFields = {
  ...SummaryFieldsSchema.shape,
  ...versionFields,
  /** The registry id `jurisdiction` resolved to on `to`. */
  unitId: nonEmpty,
};

/** The CURRENT item: the whole current version, flat, listed in gsi1 `SUMMARIES` by the end of its span. */
export const SummaryItemSchema = z.strictObject({
  ...currentKeys(SUMMARY_PREFIX, SUMMARIES_PARTITION, SUMMARY_ENTITY),
  ...summaryVersionFields,
  ...currentFields,
});

/** One version, kept for ever. */
export const SummaryVersionItemSchema = z.strictObject({
  ...versionKeys(SUMMARY_PREFIX, SUMMARY_VERSION_ENTITY),
  ...summaryVersionFields,
});

export type SummaryItem = z.output<typeof SummaryItemSchema>;
export type SummaryVersionItem = z.output<typeof SummaryVersionItemSchema>;

const sameCurrent: SameFields<Omit<SummaryItem, 'pk' | 'sk' | 'gsi1pk' | 'gsi1sk' | 'entity'>, SummaryRecord> = true;
const sameVersion: SameFields<Omit<SummaryVersionItem, 'pk' | 'sk' | 'entity'>, SummaryVersionRecord> = true;
void sameCurrent;
void sameVersion;
