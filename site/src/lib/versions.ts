import { CONCLUSION_CONTENT_FIELDS } from '../../../shared/conclusions/schemas.js';
import type { ConclusionVersion } from '../../../shared/open-data/schemas.js';
import { canonicalJson } from '../../../shared/publishing/canonical-json.js';

/**
 * What changed between two versions of a conclusion, field by field, so the history says "violations: 1
 * organization, 2 individuals → 1 organization, 3 individuals" rather than only "version 2".
 */

/** The fields of a version that carry content, in the order the page shows them: its status, then the conclusion's. */
export const VERSION_FIELDS = ['status', ...CONCLUSION_CONTENT_FIELDS, 'attachment'] as const;

export type VersionField = (typeof VERSION_FIELDS)[number];

// Every content field is published in a version: one the open-data schema lacked would fail the typecheck here.
const published: readonly (keyof ConclusionVersion)[] = VERSION_FIELDS;
void published;

/**
 * The fields that differ between a version and the next, in display order (the page shows both values); compared as
 * canonical JSON, so equal values compare equal whatever the key order of the file.
 */
export function versionChanges(before: ConclusionVersion, after: ConclusionVersion): VersionField[] {
  return VERSION_FIELDS.filter((field) => canonicalJson(before[field]) !== canonicalJson(after[field]));
}
