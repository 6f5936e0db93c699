import type { SurveyRecord } from '../../surveys/ports.js';
import { LATENESS, RATING_MAX, RATING_MIN, SUBMISSION_METHODS, TRIPS_MAX } from '../../surveys/questionnaire.js';
import { SURVEY_CHANNELS } from '../../surveys/schemas.js';
import * as z from '../../zod.js';
import { ENTITY_ATTRIBUTE, SURVEY_ENTITY, surveyKey } from '../keys.js';
import { buildItem, illustrativeFlag, isoDate, nonEmpty, type SameFields } from './item.js';

/**
 * A survey response as stored (keys.ts, "Surveys"): the only description of its attributes. The dossier hash lives
 * in the key only (`SURVEY#<hash>` / `SURVEY`); nothing in the item identifies a person. Written once, never
 * modified; the stream consumer counts it (shared/stats/contributions.ts).
 */

const rating = z.int().check(z.gte(RATING_MIN), z.lte(RATING_MAX));

export const SurveyItemSchema = z.strictObject({
  pk: z.string().check(z.startsWith('SURVEY#')),
  sk: z.literal('SURVEY'),
  [ENTITY_ATTRIBUTE]: z.literal(SURVEY_ENTITY),
  /** Random UUID (not linked to the comment). */
  id: nonEmpty,
  /** The unit in force on `date` that the submitted code resolved to. */
  unitId: nonEmpty,
  /** Vietnam date of submission (no time of day). */
  date: isoDate,
  ratings: z.strictObject({
    access: rating,
    procedures: rating,
    staff: rating,
    results: rating,
    // Not applicable: null, not counted in that aspect (left out by an older writer).
    feedback: z.optional(z.nullable(rating)),
  }),
  overall: rating,
  // Questions added later (questionnaire.ts): absent on older items, and when not answered.
  submission: z.optional(z.enum(SUBMISSION_METHODS)),
  /** The procedure's name, personal data masked; never published one by one. */
  procedure: z.optional(z.string()),
  /** The branch of a provincial centre (service-points.ts). */
  branch: z.optional(z.string()),
  conduct: z.optional(
    z.strictObject({
      extraDocuments: z.optional(z.boolean()),
      extraPayment: z.optional(z.boolean()),
      harassment: z.optional(z.boolean()),
      trips: z.optional(z.int().check(z.gte(0), z.lte(TRIPS_MAX))),
      lateness: z.optional(z.enum(LATENESS)),
    }),
  ),
  /** How the response came in; absent on items older than channels (counted in no channel). */
  channel: z.optional(z.enum(SURVEY_CHANNELS)),
  hasComment: z.boolean(),
  /** A valid receipt came with the response (shared/surveys/receipt.ts); absent on items older than receipts. */
  verified: z.optional(z.boolean()),
  /** Demo data (trusted loaders only): every figure it counts in says so. */
  illustrative: illustrativeFlag,
});

export type SurveyItem = z.output<typeof SurveyItemSchema>;

// The stored fields are the record's fields, the dossier hash excepted (it is the key).
const sameFields: SameFields<Omit<SurveyItem, 'pk' | 'sk' | 'entity'>, Omit<SurveyRecord, 'dossierHash'>> = true;
void sameFields;

/** The item of a survey response, built through its schema. */
export function surveyItem(survey: SurveyRecord): SurveyItem {
  const { dossierHash, ...fields } = survey;
  return buildItem(SurveyItemSchema, SURVEY_ENTITY, surveyKey(dossierHash), fields);
}
