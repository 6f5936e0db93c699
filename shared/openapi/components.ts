import {
  AttachmentInputSchema,
  ConclusionCorrectionSchema,
  ConclusionInputSchema,
  ConclusionRetractionSchema,
} from '../conclusions/schemas.js';
import { ReportCorrectionSchema, ReportInputSchema } from '../reports/schemas.js';
import { SummaryCorrectionSchema, SummaryInputSchema, SummaryRetractionSchema } from '../summaries/schemas.js';
import { SurveyFormSchema, SurveyResponseSchema } from '../surveys/schemas.js';
import {
  AttachmentResponseSchema,
  ConclusionResourceSchema,
  HealthSchema,
  OpenApiDocumentSchema,
  ProblemSchema,
  ReportResourceSchema,
  SummaryResourceSchema,
  SurveyCreatedSchema,
  UploadResultSchema,
} from './responses.js';

/**
 * The named bodies of the API: the zod schemas that validate requests and describe responses, each under the name
 * the OpenAPI document gives it. Route entries (functions/routes.ts) name their request and response bodies from
 * here, so a handler validates with exactly the schema its route documents.
 */
export const components = {
  ConclusionInput: ConclusionInputSchema,
  ConclusionCorrection: ConclusionCorrectionSchema,
  ConclusionRetraction: ConclusionRetractionSchema,
  AttachmentInput: AttachmentInputSchema,
  SummaryInput: SummaryInputSchema,
  SummaryCorrection: SummaryCorrectionSchema,
  SummaryRetraction: SummaryRetractionSchema,
  ReportInput: ReportInputSchema,
  ReportCorrection: ReportCorrectionSchema,
  SurveyResponse: SurveyResponseSchema,
  Conclusion: ConclusionResourceSchema,
  AttachmentResponse: AttachmentResponseSchema,
  UploadResult: UploadResultSchema,
  Summary: SummaryResourceSchema,
  Report: ReportResourceSchema,
  Health: HealthSchema,
  OpenApiDocument: OpenApiDocumentSchema,
  SurveyCreated: SurveyCreatedSchema,
  Problem: ProblemSchema,
} as const;

export type ComponentName = keyof typeof components;

/**
 * The schemas of form posts (`application/x-www-form-urlencoded`: every value a string), which parse to the same
 * output as the JSON component their route documents; the document shows the JSON one for both media types.
 */
export const formComponents = { SurveyForm: SurveyFormSchema } as const;

export type FormComponentName = keyof typeof formComponents;
