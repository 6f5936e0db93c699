import { ConclusionFieldsSchema } from '../conclusions/schemas.js';
import { SourceSchema } from '../publishing/schemas.js';
import { ProcedureFiguresSchema, ReceptionFiguresSchema } from '../reports/schemas.js';
import { SummaryFieldsSchema } from '../summaries/schemas.js';
import * as z from '../zod.js';

/**
 * The response bodies of the API, as zod schemas: only the OpenAPI document uses them (the handlers build the
 * same shapes in functions/…/resource.ts, and the integration tests parse responses with these schemas, so
 * the document cannot drift from what is actually sent).
 */

/** RFC 9457 problem details, with CONTRACT.md's `errors` for 422. */
export const ProblemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().check(z.int()),
  detail: z.string(),
  instance: z.optional(z.string()),
  correlationId: z.optional(z.string()),
  code: z.string(),
  errors: z.optional(z.array(z.object({ path: z.string(), message: z.string() }))),
  existing: z.optional(z.object({ id: z.string(), version: z.optional(z.number().check(z.int())) })),
});

export const PublishedAttachmentSchema = z.object({
  sha256: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
  bytes: z.number().check(z.int(), z.gt(0)),
  mediaType: z.literal('application/pdf'),
  url: z.string(),
});

/** One version of a conclusion as published. */
export const ConclusionVersionResourceSchema = z.extend(ConclusionFieldsSchema, {
  id: z.string(),
  version: z.number().check(z.int(), z.gt(0)),
  status: z.enum(['published', 'retracted']),
  agencyId: z.string(),
  unitIds: z
    .array(z.string())
    .check(z.describe('The registry ids of inspectedUnits on issuedOn (a reused code gets its own id).')),
  contentHash: z.string().check(z.describe('SHA-256 (hex) of the canonical JSON of the content.')),
  publishedAt: z.string().check(z.describe('When this version was accepted (ISO 8601, UTC).')),
  reason: z.optional(z.string()).check(z.describe('Why this version replaced the previous one.')),
  attachment: z.optional(PublishedAttachmentSchema),
});

/** A conclusion: its current version, the agency, and on GET its whole history. */
export const ConclusionResourceSchema = z.extend(ConclusionVersionResourceSchema, {
  agency: z.object({ id: z.string(), name: z.optional(z.string()) }),
  createdAt: z.string(),
  updatedAt: z.string(),
  versions: z
    .optional(z.array(ConclusionVersionResourceSchema))
    .check(z.describe('Every version, oldest first (GET only).')),
});

/** One version of a summary report as published: the figures exactly as stated. */
export const SummaryVersionResourceSchema = z.extend(SummaryFieldsSchema, {
  id: z.string(),
  version: z.number().check(z.int(), z.gt(0)),
  status: z.enum(['published', 'retracted']),
  agencyId: z.string(),
  unitId: z.string().check(z.describe('The registry id of `jurisdiction` on `to` (a reused code gets its own id).')),
  contentHash: z.string().check(z.describe('SHA-256 (hex) of the canonical JSON of the content.')),
  publishedAt: z.string().check(z.describe('When this version was accepted (ISO 8601, UTC).')),
  reason: z.optional(z.string()).check(z.describe('Why this version replaced the previous one.')),
});

/** A summary report: its current version, the agency, and on GET its whole history. */
export const SummaryResourceSchema = z.extend(SummaryVersionResourceSchema, {
  agency: z.object({ id: z.string(), name: z.optional(z.string()) }),
  createdAt: z.string(),
  updatedAt: z.string(),
  versions: z
    .optional(z.array(SummaryVersionResourceSchema))
    .check(z.describe('Every version, oldest first (GET only).')),
});

export const UploadInstructionsSchema = z.object({
  method: z.literal('PUT'),
  url: z.string(),
  headers: z.record(z.string(), z.string()),
  signed: z
    .boolean()
    .check(z.describe('True when the upload goes to this API and must carry a signed Authorization header.')),
  expiresAt: z.string(),
});

export const AttachmentResponseSchema = z.object({
  attachment: PublishedAttachmentSchema,
  upload: UploadInstructionsSchema,
  conclusion: ConclusionResourceSchema,
});

export const UploadResultSchema = z.object({ sha256: z.string(), bytes: z.number().check(z.int()), url: z.string() });

export const ReportResourceSchema = z.object({
  id: z.string().check(z.describe('`<agencyId>.<unitId>.<period>`: the period `YYYY-MM`, `YYYY-Qn` or `YYYY`')),
  agencyId: z.string(),
  unit: z.string(),
  unitId: z.string(),
  /** The period covered: a month, a quarter or a year. */
  period: z.string(),
  /** The month covered, for a monthly report (as first published). */
  month: z.optional(z.string()),
  version: z.number().check(z.int(), z.gt(0)),
  procedures: z.optional(ProcedureFiguresSchema),
  reception: z.optional(ReceptionFiguresSchema),
  sources: z.optional(z.array(SourceSchema)),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const HealthSchema = z.object({ status: z.literal('ok') });

/** This document (OpenAPI 3.1). */
export const OpenApiDocumentSchema = z.looseObject({ openapi: z.string() });

export const SurveyCreatedSchema = z.object({
  id: z.string(),
  unit: z.string(),
  date: z.string(),
  comment: z
    .nullable(z.enum(['pending']))
    .check(z.describe('`pending` when a comment awaits moderation; null without one.')),
  verified: z
    .boolean()
    .check(z.describe('True when a valid receipt for this dossier and unit came with the response.')),
});
