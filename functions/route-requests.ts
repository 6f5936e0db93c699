import {
  ATTACHMENT_MAX_BYTES,
  CONCLUSION_MAX_BODY_BYTES,
  REPORT_MAX_BODY_BYTES,
  SUMMARY_MAX_BODY_BYTES,
  SURVEY_MAX_BODY_BYTES,
} from '../shared/limits.js';
import type { BinaryRequestSpec, ParsedRequestSpec } from '../shared/openapi/operation.js';

/**
 * The body each route takes, by route name: declared here once, and placed in the route table
 * (`routes.ts`, each entry's `operation.request`) from here. A handler reads its own from here
 * (`lib/route-body.ts`) rather than from the table, so a Lambda does not bundle every route's documentation
 * (issue #15); test/unit/functions/lib/route-body.test.ts checks that the table carries exactly these.
 */

const JSON_BODY = { mediaTypes: ['application/json'] } as const;
/** A retraction's body is optional (`{ "reason": "…" }`, at most 2,000 characters). */
const RETRACTION_BODY = { ...JSON_BODY, maxBytes: 16 * 1024, optional: true } as const;

export const routeRequests = {
  'surveys-create': {
    component: 'SurveyResponse',
    maxBytes: SURVEY_MAX_BODY_BYTES,
    mediaTypes: ['application/json', 'application/x-www-form-urlencoded'],
    formComponent: 'SurveyForm',
  },
  'conclusions-create': { component: 'ConclusionInput', ...JSON_BODY, maxBytes: CONCLUSION_MAX_BODY_BYTES },
  'conclusions-correct': { component: 'ConclusionCorrection', ...JSON_BODY, maxBytes: CONCLUSION_MAX_BODY_BYTES },
  'conclusions-retract': { component: 'ConclusionRetraction', ...RETRACTION_BODY },
  'conclusions-attach': { component: 'AttachmentInput', ...JSON_BODY, maxBytes: 4096 },
  'attachments-upload': { binary: 'application/pdf', maxBytes: ATTACHMENT_MAX_BYTES },
  'summaries-create': { component: 'SummaryInput', ...JSON_BODY, maxBytes: SUMMARY_MAX_BODY_BYTES },
  'summaries-correct': { component: 'SummaryCorrection', ...JSON_BODY, maxBytes: SUMMARY_MAX_BODY_BYTES },
  'summaries-retract': { component: 'SummaryRetraction', ...RETRACTION_BODY },
  'reports-create': { component: 'ReportInput', ...JSON_BODY, maxBytes: REPORT_MAX_BODY_BYTES },
  'reports-correct': { component: 'ReportCorrection', ...JSON_BODY, maxBytes: REPORT_MAX_BODY_BYTES },
} as const satisfies Record<string, ParsedRequestSpec | BinaryRequestSpec>;

export type BodyRouteName = keyof typeof routeRequests;
