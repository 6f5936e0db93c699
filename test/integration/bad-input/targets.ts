import { createHash } from 'node:crypto';
import {
  AttachmentInputSchema,
  ConclusionCorrectionSchema,
  ConclusionInputSchema,
  ConclusionRetractionSchema,
} from '../../../shared/conclusions/schemas.js';
import { ReportInputSchema } from '../../../shared/reports/schemas.js';
import {
  SummaryCorrectionSchema,
  SummaryInputSchema,
  SummaryRetractionSchema,
} from '../../../shared/summaries/schemas.js';
import { SurveyResponseSchema } from '../../../shared/surveys/schemas.js';
import type * as z from '../../../shared/zod.js';
import { exampleConclusion } from '../../support/agency-fixtures.js';
import { exampleSummary } from '../../support/summary-fixtures.js';
import { surveyJson } from '../../support/survey-fixtures.js';
import type { BodyTarget } from './corpus.js';

/**
 * What the bad-input tests need to know about each route that takes a body: a valid body to build the corpus
 * from, the schema (to tell a mutation that breaks it), the fields a fuzzer may replace, and how to make a
 * request the route accepts. Keyed by the route's name in functions/routes.ts.
 */

/** Creates records a request can then act on (a correction needs a conclusion and its version). */
export interface TargetApi {
  /** Publishes a conclusion; answers its id, ETag and the body it was published with. */
  createConclusion(i: number): Promise<{ id: string; etag: string; body: Record<string, unknown> }>;
  createReport(i: number): Promise<{ id: string; etag: string }>;
  /** Publishes a summary report; answers its id, ETag and the body it was published with. */
  createSummary(i: number): Promise<{ id: string; etag: string; body: Record<string, unknown> }>;
}

/** A request the route accepts. */
export interface AcceptedRequest {
  readonly params?: Record<string, string>;
  readonly headers?: Record<string, string>;
  readonly body: Record<string, unknown>;
}

export interface RouteTarget {
  readonly target: BodyTarget;
  readonly schema: z.ZodMiniType;
  /** Top-level fields a fuzzer may replace with anything. */
  readonly fuzzFields: readonly string[];
  /** A distinct request the route accepts (its own dossier code, document number, unit and month). */
  readonly accepted: (i: number, api: TargetApi) => Promise<AcceptedRequest>;
  /** Corpus cases whose contract differs on this route, with the statuses it gives them. */
  readonly overrides?: Readonly<Record<string, readonly number[]>>;
}

/** An id of the right form that no conclusion has: routes check the form before anything else. */
export const ABSENT_CONCLUSION_ID = 'kaaaaaaaaaaaaaaaaaaa';
/** The same for summaries. */
export const ABSENT_SUMMARY_ID = 'saaaaaaaaaaaaaaaaaaa';

const conclusionTarget: BodyTarget = {
  base: exampleConclusion(),
  textField: 'documentNumber',
  storedTextField: 'summary.vi',
  numberField: 'violations.organizations',
  dateField: 'issuedOn',
  acceptsForm: false,
  strict: true,
  maxBytes: 256 * 1024,
};
const conclusionFields = [
  'documentNumber',
  'issuedOn',
  'kind',
  'inspectedUnits',
  'topics',
  'summary',
  'violations',
  'discipline',
];
const summaryTarget: BodyTarget = {
  base: exampleSummary(),
  textField: 'documentNumber',
  storedTextField: 'scope.vi',
  numberField: 'inspections.total',
  dateField: 'issuedOn',
  acceptsForm: false,
  strict: true,
  maxBytes: 256 * 1024,
};
const summaryFields = ['documentNumber', 'issuedOn', 'jurisdiction', 'from', 'to', 'scope', 'inspections', 'sources'];
const reportBody = (i: number) => ({
  unit: '00304',
  // One report per agency, unit and month: each accepted request takes a month of its own, from 2000-01 (00304
  // was in force until 2025-07, so i stays below 300).
  month: `${2000 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`,
  procedures: { received: 120, resolvedEarly: 10, resolvedOnTime: 100, resolvedLate: 4, pendingOverdue: 1 },
});
/** Months of the reports made for corrections, apart from those the create target files. */
export const REPORT_BASE = 100;
const pdf = Buffer.from('%PDF-1.7\n% bad-input test\n%%EOF\n');

export const routeTargets: Readonly<Record<string, RouteTarget>> = {
  'surveys-create': {
    target: {
      base: surveyJson({ comment: 'Cán bộ hướng dẫn tận tình.' }),
      textField: 'dossierCode',
      storedTextField: 'comment',
      numberField: 'ratings.access',
      acceptsForm: true,
      strict: true,
      maxBytes: 16 * 1024,
    },
    schema: SurveyResponseSchema,
    fuzzFields: ['dossierCode', 'ratings', 'overall', 'comment', 'channel', 'lang'],
    accepted: async (i) => ({
      body: surveyJson({
        dossierCode: `BAD-INPUT-${process.pid}-${Date.now()}-${i}`,
        comment: 'Cán bộ hướng dẫn tận tình.',
      }),
    }),
  },
  'conclusions-create': {
    target: conclusionTarget,
    schema: ConclusionInputSchema,
    fuzzFields: conclusionFields,
    accepted: async (i) => ({ body: exampleConclusion({ documentNumber: `${i}/KL-BAD-${Date.now()}` }) }),
  },
  'conclusions-correct': {
    target: { ...conclusionTarget, base: { ...exampleConclusion(), reason: 'Sửa số liệu.' } },
    schema: ConclusionCorrectionSchema,
    fuzzFields: [...conclusionFields, 'reason'],
    async accepted(i, api) {
      // A correction keeps the document number (it identifies the conclusion) and changes the content.
      const { id, etag, body } = await api.createConclusion(i);
      return {
        params: { id },
        headers: { 'if-match': etag },
        body: { ...body, violations: { organizations: 2, individuals: 2 }, reason: 'Sửa số liệu.' },
      };
    },
  },
  'conclusions-retract': {
    target: {
      base: { reason: 'Ban hành nhầm.' },
      textField: 'reason',
      acceptsForm: false,
      strict: true,
      maxBytes: 16 * 1024,
    },
    schema: ConclusionRetractionSchema,
    fuzzFields: ['reason'],
    async accepted(i, api) {
      const { id } = await api.createConclusion(i);
      return { params: { id }, body: { reason: 'Ban hành nhầm.' } };
    },
    // An empty body is a retraction without a stated reason (CONTRACT.md); on an id no conclusion has, 404.
    overrides: { 'empty body': [404] },
  },
  'summaries-create': {
    target: summaryTarget,
    schema: SummaryInputSchema,
    fuzzFields: summaryFields,
    accepted: async (i) => ({ body: exampleSummary({ documentNumber: `${i}/BC-BAD-${Date.now()}` }) }),
  },
  'summaries-correct': {
    target: { ...summaryTarget, base: { ...exampleSummary(), reason: 'Sửa số liệu.' } },
    schema: SummaryCorrectionSchema,
    fuzzFields: [...summaryFields, 'reason'],
    async accepted(i, api) {
      const { id, etag, body } = await api.createSummary(i);
      return {
        params: { id },
        headers: { 'if-match': etag },
        body: { ...body, inspections: { total: 912 }, reason: 'Sửa số liệu.' },
      };
    },
  },
  'summaries-retract': {
    target: {
      base: { reason: 'Công bố nhầm.' },
      textField: 'reason',
      acceptsForm: false,
      strict: true,
      maxBytes: 16 * 1024,
    },
    schema: SummaryRetractionSchema,
    fuzzFields: ['reason'],
    async accepted(i, api) {
      const { id } = await api.createSummary(i);
      return { params: { id }, body: { reason: 'Công bố nhầm.' } };
    },
    // An empty body is a retraction without a stated reason; on an id that cannot be a summary's, 404.
    overrides: { 'empty body': [404] },
  },
  'conclusions-attach': {
    target: {
      base: { sha256: createHash('sha256').update(pdf).digest('hex'), bytes: pdf.length, mediaType: 'application/pdf' },
      textField: 'sha256',
      numberField: 'bytes',
      acceptsForm: false,
      strict: true,
      maxBytes: 4096,
    },
    schema: AttachmentInputSchema,
    fuzzFields: ['sha256', 'bytes', 'mediaType'],
    async accepted(i, api) {
      const { id } = await api.createConclusion(i);
      return {
        params: { id },
        body: {
          sha256: createHash('sha256').update(pdf).digest('hex'),
          bytes: pdf.length,
          mediaType: 'application/pdf',
        },
      };
    },
  },
  'reports-create': {
    target: {
      base: reportBody(0),
      textField: 'unit',
      numberField: 'procedures.received',
      acceptsForm: false,
      strict: true,
      maxBytes: 16 * 1024,
    },
    schema: ReportInputSchema,
    fuzzFields: ['unit', 'month', 'procedures', 'reception'],
    accepted: async (i) => ({ body: reportBody(i + 1) }),
  },
  'reports-correct': {
    target: {
      base: reportBody(0),
      textField: 'unit',
      numberField: 'procedures.received',
      acceptsForm: false,
      strict: true,
      maxBytes: 16 * 1024,
    },
    schema: ReportInputSchema,
    fuzzFields: ['unit', 'month', 'procedures', 'reception'],
    async accepted(i, api) {
      // The correction keeps the report's unit and month (TargetApi.createReport files reportBody(REPORT_BASE + i)).
      const { id, etag } = await api.createReport(i);
      return {
        params: { id },
        headers: { 'if-match': etag },
        body: { ...reportBody(REPORT_BASE + i), procedures: { ...reportBody(0).procedures, received: 121 } },
      };
    },
  },
};

/** The PDF the attachment target announces (its SHA-256 and size). */
export const TEST_PDF = pdf;

/** A valid report body; `i` picks its month (one report per agency, unit and month). */
export const validReport = reportBody;
