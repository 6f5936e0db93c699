import { z } from 'zod';
import { API_AUDIENCE, CLOCK_SKEW_SECONDS, MAX_TOKEN_LIFETIME_SECONDS, SIGNING_ALGORITHM } from '../auth/constants.js';
import {
  AttachmentInputSchema,
  CONCLUSION_MAX_BODY_BYTES,
  ConclusionCorrectionSchema,
  ConclusionInputSchema,
  ConclusionRetractionSchema,
} from '../conclusions/schemas.js';
import { ReportCorrectionSchema, ReportInputSchema } from '../reports/schemas.js';
import { SummaryCorrectionSchema, SummaryInputSchema, SummaryRetractionSchema } from '../summaries/schemas.js';
import { SurveyResponseSchema } from '../surveys/schemas.js';
import {
  AttachmentResponseSchema,
  ConclusionResourceSchema,
  HealthSchema,
  ProblemSchema,
  ReportResourceSchema,
  SummaryResourceSchema,
  SurveyCreatedSchema,
  UploadResultSchema,
} from './responses.js';

/**
 * The OpenAPI 3.1 document of the API, generated from the same zod schemas that validate requests (zod 4's
 * JSON Schema output, draft 2020-12, which is OpenAPI 3.1's dialect). `operations` holds one entry per route of
 * functions/routes.ts, keyed `METHOD path`; a unit test checks that the two hold the same routes.
 */

type JsonObject = Record<string, unknown>;

/** A component schema: request bodies as clients write them (defaults optional), responses as sent. */
function component(schema: z.ZodType, io: 'input' | 'output'): JsonObject {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    // Refinements and transforms (cross-field rules, NFC) cannot be said in JSON Schema; the descriptions do.
    unrepresentable: 'any',
  }) as JsonObject;
  return json;
}

const COMPONENTS = {
  ConclusionInput: component(ConclusionInputSchema, 'input'),
  ConclusionCorrection: component(ConclusionCorrectionSchema, 'input'),
  ConclusionRetraction: component(ConclusionRetractionSchema, 'input'),
  AttachmentInput: component(AttachmentInputSchema, 'input'),
  SummaryInput: component(SummaryInputSchema, 'input'),
  SummaryCorrection: component(SummaryCorrectionSchema, 'input'),
  SummaryRetraction: component(SummaryRetractionSchema, 'input'),
  ReportInput: component(ReportInputSchema, 'input'),
  ReportCorrection: component(ReportCorrectionSchema, 'input'),
  SurveyResponse: component(SurveyResponseSchema, 'input'),
  Conclusion: component(ConclusionResourceSchema, 'output'),
  AttachmentResponse: component(AttachmentResponseSchema, 'output'),
  UploadResult: component(UploadResultSchema, 'output'),
  Summary: component(SummaryResourceSchema, 'output'),
  Report: component(ReportResourceSchema, 'output'),
  Health: component(HealthSchema, 'output'),
  SurveyCreated: component(SurveyCreatedSchema, 'output'),
  Problem: component(ProblemSchema, 'output'),
} as const;

type ComponentName = keyof typeof COMPONENTS;

const ref = (name: ComponentName) => ({ $ref: `#/components/schemas/${name}` });
const json = (name: ComponentName) => ({ content: { 'application/json': { schema: ref(name) } } });

const PROBLEM_TEXT: Record<number, string> = {
  400: 'The body is not well-formed JSON (or not UTF-8).',
  401: 'The signed token is missing, malformed, forged, expired, replayed, or not for this request.',
  403: 'A valid agency acting outside its jurisdiction, or on a record of another agency.',
  404: 'No such record.',
  409: 'Conflicts with what is stored (`existing` names the stored record).',
  412: '`If-Match` does not name the current version.',
  413: 'The body is too large.',
  415: 'The body is not sent with a supported media type.',
  422: 'The body breaks the schema or a rule; `errors` lists `{ path, message }` with dotted paths.',
  428: '`If-Match` is required.',
  429: 'Too many requests; see `Retry-After`.',
  503: 'The store is unavailable; nothing was changed; see `Retry-After`.',
};

function problems(...statuses: number[]): JsonObject {
  return Object.fromEntries(
    statuses.map((status) => [
      String(status),
      {
        description: PROBLEM_TEXT[status] ?? 'Error',
        content: { 'application/problem+json': { schema: ref('Problem') } },
      },
    ]),
  );
}

const idParam = (name: string, description: string) => ({
  name,
  in: 'path',
  required: true,
  schema: { type: 'string' },
  description,
});
const IF_MATCH_REQUIRED = {
  name: 'If-Match',
  in: 'header',
  required: true,
  schema: { type: 'string' },
  description: 'The version being corrected, as the ETag of the record says it (`"3"`).',
};
const IF_MATCH_OPTIONAL = {
  ...IF_MATCH_REQUIRED,
  required: false,
  description: 'When sent, must name the current version.',
};
const AGENCY = [{ agencyJwt: [] }];
const WRITE_ERRORS = [400, 401, 403, 413, 415, 422, 503] as const;
const LOCATION_HEADERS = {
  Location: { schema: { type: 'string' }, description: 'The permanent address of the record.' },
  ETag: { schema: { type: 'string' }, description: 'The current version, for If-Match.' },
};

/** One operation per route, keyed `METHOD path` exactly as in functions/routes.ts. */
export const operations: Readonly<Record<string, JsonObject>> = {
  'GET /api/v1/health': {
    operationId: 'health',
    tags: ['service'],
    summary: 'Is the service up',
    responses: { '200': { description: 'The store answers.', ...json('Health') }, ...problems(503) },
  },
  'GET /api/v1/openapi.json': {
    operationId: 'openapi',
    tags: ['service'],
    summary: 'This document',
    responses: {
      '200': { description: 'OpenAPI 3.1', content: { 'application/json': { schema: { type: 'object' } } } },
    },
  },
  'POST /api/v1/conclusions': {
    operationId: 'createConclusion',
    tags: ['conclusions'],
    summary: 'Publish an inspection conclusion',
    description: `Idempotent: the same content again answers 200 with the stored record. Body at most ${CONCLUSION_MAX_BODY_BYTES} bytes. Rules beyond the schema: the disciplined (summed over forms) never exceed the violating; each unit code names a unit in force on issuedOn within the agency's jurisdiction; dates are not in the future (Vietnam time). Text is stored NFC-normalized.`,
    security: AGENCY,
    requestBody: { required: true, ...json('ConclusionInput') },
    responses: {
      '201': { description: 'Created, version 1.', headers: LOCATION_HEADERS, ...json('Conclusion') },
      '200': {
        description: 'The same content was already published: the stored record.',
        headers: LOCATION_HEADERS,
        ...json('Conclusion'),
      },
      ...problems(...WRITE_ERRORS, 409),
    },
  },
  'GET /api/v1/conclusions/{id}': {
    operationId: 'getConclusion',
    tags: ['conclusions'],
    summary: 'Read a conclusion: its current version and its history',
    parameters: [idParam('id', 'The conclusion id.')],
    responses: {
      '200': { description: 'The conclusion with `versions`.', ...json('Conclusion') },
      ...problems(404, 503),
    },
  },
  'PUT /api/v1/conclusions/{id}': {
    operationId: 'correctConclusion',
    tags: ['conclusions'],
    summary: 'Correct a conclusion (a new version)',
    description:
      'The whole corrected content. The document number cannot change. The same correction again answers 200 with the version it made.',
    security: AGENCY,
    parameters: [idParam('id', 'The conclusion id.'), IF_MATCH_REQUIRED],
    requestBody: { required: true, ...json('ConclusionCorrection') },
    responses: {
      '200': { description: 'The new version (version + 1).', headers: LOCATION_HEADERS, ...json('Conclusion') },
      ...problems(...WRITE_ERRORS, 404, 409, 412, 428),
    },
  },
  'POST /api/v1/conclusions/{id}/retraction': {
    operationId: 'retractConclusion',
    tags: ['conclusions'],
    summary: 'Retract a conclusion (a new version with status "retracted")',
    description: 'The body is optional; an empty body retracts without a stated reason. Retracting again answers 200.',
    security: AGENCY,
    parameters: [idParam('id', 'The conclusion id.'), IF_MATCH_OPTIONAL],
    requestBody: { required: false, ...json('ConclusionRetraction') },
    responses: {
      '200': { description: 'The retracted version.', headers: LOCATION_HEADERS, ...json('Conclusion') },
      ...problems(...WRITE_ERRORS, 404, 412),
    },
  },
  'POST /api/v1/conclusions/{id}/attachment': {
    operationId: 'attachDocument',
    tags: ['conclusions'],
    summary: 'Announce the signed PDF of the current version and get where to upload it',
    description:
      'Its SHA-256 and size are published at once. In AWS the upload is a pre-signed S3 PUT bound to the checksum; locally it is PUT /api/v1/attachments/{name}, signed.',
    security: AGENCY,
    parameters: [idParam('id', 'The conclusion id.')],
    requestBody: { required: true, ...json('AttachmentInput') },
    responses: {
      '201': { description: 'Announced.', ...json('AttachmentResponse') },
      '200': { description: 'The same file was already announced.', ...json('AttachmentResponse') },
      ...problems(...WRITE_ERRORS, 404, 409),
    },
  },
  'PUT /api/v1/attachments/{name}': {
    operationId: 'uploadAttachment',
    tags: ['conclusions'],
    summary: 'Upload the bytes of an announced attachment',
    security: AGENCY,
    parameters: [idParam('name', 'The attachment name from the upload instructions.')],
    requestBody: {
      required: true,
      content: { 'application/pdf': { schema: { type: 'string', contentMediaType: 'application/pdf' } } },
    },
    responses: { '200': { description: 'Stored.', ...json('UploadResult') }, ...problems(...WRITE_ERRORS, 404) },
  },
  'GET /api/v1/attachments/{name}': {
    operationId: 'getAttachment',
    tags: ['conclusions'],
    summary: 'Download a published attachment',
    parameters: [idParam('name', 'The attachment name.')],
    responses: {
      '200': {
        description: 'The PDF.',
        content: { 'application/pdf': { schema: { type: 'string', contentMediaType: 'application/pdf' } } },
      },
      '302': { description: 'A short-lived URL of the PDF.' },
      ...problems(404, 503),
    },
  },
  'POST /api/v1/summaries': {
    operationId: 'publishSummary',
    tags: ['summaries'],
    summary: 'Publish a summary report: the totals of a span of dates, as stated',
    description:
      "Each figure exactly as the source states it: `total` alone when it does not split organizations and individuals, a percentage when it gives only a percentage, absent when it does not give it. Published beside the figures counted from conclusions, never added into them. The same content again answers 200; different content under the same document number is 409 (correct with PUT); `jurisdiction` outside the agency's is 403.",
    security: AGENCY,
    requestBody: { required: true, ...json('SummaryInput') },
    responses: {
      '201': { description: 'Published (version 1).', headers: LOCATION_HEADERS, ...json('Summary') },
      '200': { description: 'The same content was already published.', headers: LOCATION_HEADERS, ...json('Summary') },
      ...problems(...WRITE_ERRORS, 409),
    },
  },
  'GET /api/v1/summaries/{id}': {
    operationId: 'getSummary',
    tags: ['summaries'],
    summary: 'Read a summary report: its current version and its history',
    parameters: [idParam('id', 'The summary id.')],
    responses: {
      '200': { description: 'The summary with `versions`.', ...json('Summary') },
      ...problems(404, 503),
    },
  },
  'PUT /api/v1/summaries/{id}': {
    operationId: 'correctSummary',
    tags: ['summaries'],
    summary: 'Correct a summary report (a new version)',
    description: 'The whole corrected summary, with an optional `reason`. The document number cannot change.',
    security: AGENCY,
    parameters: [idParam('id', 'The summary id.'), IF_MATCH_REQUIRED],
    requestBody: { required: true, ...json('SummaryCorrection') },
    responses: {
      '200': { description: 'The new version.', headers: LOCATION_HEADERS, ...json('Summary') },
      ...problems(...WRITE_ERRORS, 404, 409, 412, 428),
    },
  },
  'POST /api/v1/summaries/{id}/retraction': {
    operationId: 'retractSummary',
    tags: ['summaries'],
    summary: 'Retract a summary report (a new version with status "retracted")',
    description: 'The body is optional: `{ "reason": "…" }`. Retracting again is a no-op (200).',
    security: AGENCY,
    parameters: [idParam('id', 'The summary id.'), IF_MATCH_OPTIONAL],
    requestBody: { required: false, ...json('SummaryRetraction') },
    responses: {
      '200': { description: 'Retracted.', headers: LOCATION_HEADERS, ...json('Summary') },
      ...problems(...WRITE_ERRORS, 404, 412),
    },
  },
  'POST /api/v1/reports': {
    operationId: 'fileReport',
    tags: ['reports'],
    summary: 'File the procedure-handling figures of a unit for a month',
    description:
      'One report per agency, unit and period (a month, a quarter or a year). The same figures again answer 200; other figures are 409 (correct with PUT).',
    security: AGENCY,
    requestBody: { required: true, ...json('ReportInput') },
    responses: {
      '201': { description: 'Filed.', headers: LOCATION_HEADERS, ...json('Report') },
      '200': { description: 'The same figures were already filed.', headers: LOCATION_HEADERS, ...json('Report') },
      ...problems(...WRITE_ERRORS, 409),
    },
  },
  'GET /api/v1/reports/{id}': {
    operationId: 'getReport',
    tags: ['reports'],
    summary: 'Read a report',
    parameters: [idParam('id', 'The report id.')],
    responses: { '200': { description: 'The report.', ...json('Report') }, ...problems(404, 503) },
  },
  'PUT /api/v1/reports/{id}': {
    operationId: 'correctReport',
    tags: ['reports'],
    summary: 'Correct a report (same unit and month)',
    security: AGENCY,
    parameters: [idParam('id', 'The report id.'), IF_MATCH_REQUIRED],
    requestBody: { required: true, ...json('ReportCorrection') },
    responses: {
      '200': { description: 'The corrected report (version + 1).', headers: LOCATION_HEADERS, ...json('Report') },
      ...problems(...WRITE_ERRORS, 404, 412, 428),
    },
  },
  'POST /api/v1/surveys': {
    operationId: 'submitSurvey',
    tags: ['surveys'],
    summary: 'Rate a service received (one response per dossier)',
    description:
      'JSON gets 201; the HTML form (application/x-www-form-urlencoded, dotted names) gets 303 to a thank-you page.',
    requestBody: {
      required: true,
      content: {
        'application/json': { schema: ref('SurveyResponse') },
        'application/x-www-form-urlencoded': { schema: ref('SurveyResponse') },
      },
    },
    responses: {
      '201': { description: 'Recorded.', ...json('SurveyCreated') },
      '303': { description: 'Recorded (form post): see the thank-you page.' },
      ...problems(400, 409, 413, 415, 422, 429, 503),
    },
  },
};

/** Builds the document (pure; the handler caches it). */
export function buildOpenApiDocument(): JsonObject {
  const paths: Record<string, Record<string, JsonObject>> = {};
  for (const [key, operation] of Object.entries(operations)) {
    const [method = '', path = ''] = key.split(' ');
    paths[path] ??= {};
    (paths[path] as Record<string, JsonObject>)[method.toLowerCase()] = operation;
  }
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'Công vụ minh bạch: public-service discipline and service quality API',
      version: '1.0.0',
      description:
        'Agencies publish inspection conclusions, summary reports and procedure-handling reports; citizens rate services; anyone reads. Errors are application/problem+json (RFC 9457). A refused request changes nothing.',
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    servers: [{ url: '/' }],
    tags: [
      { name: 'conclusions', description: 'Inspection conclusions (kết luận kiểm tra công vụ), versioned.' },
      {
        name: 'summaries',
        description: 'Summary reports: the totals of a span of dates for a jurisdiction, as stated, with sources.',
      },
      { name: 'reports', description: 'Monthly procedure-handling and citizen-reception figures.' },
      { name: 'surveys', description: 'Citizen satisfaction (SIPAS aspects).' },
      { name: 'service', description: 'Health and this document.' },
    ],
    paths,
    components: {
      schemas: COMPONENTS,
      securitySchemes: {
        agencyJwt: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: `A compact JWS signed with the agency's Ed25519 key: alg "${SIGNING_ALGORITHM}", header kid optional (the RFC 7638 JWK thumbprint). Claims: iss (agency id), aud "${API_AUDIENCE}", iat, exp (at most ${MAX_TOKEN_LIFETIME_SECONDS} s after iat), jti (unique; a replay is refused), htm (the method), htu (the path with its query), bh (base64url SHA-256 of the exact body bytes). Clock skew tolerated: ${CLOCK_SKEW_SECONDS} s.`,
        },
      },
    },
  };
}
