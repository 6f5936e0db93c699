/**
 * The SIPAS aspects rated in a survey response (wording: shared/surveys/questionnaire.ts), on their own so the
 * aggregation and the questionnaire name them without loading the open-data schemas (`schemas.ts` re-exports them).
 */
export const SURVEY_ASPECTS = ['access', 'procedures', 'staff', 'results', 'feedback'] as const;

export type SurveyAspect = (typeof SURVEY_ASPECTS)[number];
