import { COMMENT_STATUSES, type CommentRecord } from '../../surveys/ports.js';
import * as z from '../../zod.js';
import { COMMENT_ENTITY, commentIndexKey, commentKey, ENTITY_ATTRIBUTE } from '../keys.js';
import { buildItem, isoDate, nonEmpty, recordOf, type SameFields, type StoredFields } from './item.js';

/**
 * A citizen's comment as stored (keys.ts, "Surveys"): the only description of its attributes. Put with its survey
 * response as `pending`; its gsi1 key is its moderation queue (`COMMENTS#<status>` / `<submittedAt>#<id>`) and
 * moves with the status. Only `approved` comments are ever published.
 */
export const CommentItemSchema = z.strictObject({
  pk: z.string().check(z.startsWith('COMMENT#')),
  sk: z.literal('COMMENT'),
  gsi1pk: z.string().check(z.startsWith('COMMENTS#')),
  gsi1sk: nonEmpty,
  [ENTITY_ATTRIBUTE]: z.literal(COMMENT_ENTITY),
  /** Random UUID, not linked to the survey response. */
  id: nonEmpty,
  unitId: nonEmpty,
  /** Masked before storage. */
  text: z.string(),
  status: z.enum(COMMENT_STATUSES),
  /** Vietnam date of submission (no finer time, as for the response). */
  submittedAt: isoDate,
  /** When a moderator decided (ISO instant) and who (never published); absent while pending. */
  moderatedAt: z.optional(z.string()),
  moderatedBy: z.optional(z.string()),
});

export type CommentItem = z.output<typeof CommentItemSchema>;

const sameFields: SameFields<StoredFields<CommentItem>, CommentRecord> = true;
void sameFields;

/** The item of a comment, built through its schema. */
export function commentItem(comment: CommentRecord): CommentItem {
  const keys = { ...commentKey(comment.id), ...commentIndexKey(comment.status, comment.submittedAt, comment.id) };
  return buildItem(CommentItemSchema, COMMENT_ENTITY, keys, comment);
}

/** The comment an item holds (parsed: a malformed item fails here). */
export function commentOf(item: unknown): CommentRecord {
  return recordOf(CommentItemSchema, COMMENT_ENTITY, item);
}
