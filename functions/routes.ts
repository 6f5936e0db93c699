import { CONCLUSION_MAX_BODY_BYTES } from '../shared/limits.js';
import type { ComponentName } from '../shared/openapi/components.js';
import { type OperationSpec, WRITE_ERRORS } from '../shared/openapi/operation.js';
import type { RecordsPartition, StatsPartition } from '../shared/storage/keys.js';
import { routeRequests } from './route-requests.js';

/**
 * The route table: one entry per HTTP handler, the one place a route is declared. The local gateway
 * (`local/gateway.ts`) dispatches with it, the CDK API stack (`infra/`) creates one NodejsFunction and one route per
 * entry, the OpenAPI document (`shared/openapi/document.ts`) is built from each entry's `operation`, and the HTTP
 * shell validates a body with the schema its entry names (`functions/lib/route-body.ts`): none can drift. Each entry's
 * `operation.request` comes from `route-requests.ts`, which handlers read instead of this table (issue #15).
 * `entry` is relative to the repository root; each module exports `handler` (Lambda's) and `createHandler(config)`
 * (functions/lib/config.ts), which the local gateway builds it with.
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** DynamoDB item writes a route may be granted; a transaction needs the action of each of its parts. */
export type WriteAction = 'PutItem' | 'UpdateItem' | 'DeleteItem' | 'ConditionCheckItem';

/**
 * How a route uses the records table: `read` (point reads and queries), or those reads plus exactly the `write`
 * actions it uses, on items of its own `partitions` only (keys.ts, RECORDS_PARTITIONS). CDK turns the partitions
 * into a `dynamodb:LeadingKeys` condition, so a compromised public function cannot write an agency, its keys or a
 * unit's coverage. test/integration/functions/route-grants.test.ts runs each handler and checks that its writes
 * fall inside, and that every declared action and partition is used.
 */
export type RecordsUse =
  | 'read'
  | { readonly write: readonly WriteAction[]; readonly partitions: readonly RecordsPartition[] };

/**
 * How a route uses the stats table: `read`, or exactly the `write` actions it uses on items of its own `partitions`
 * (keys.ts, STATS_PARTITIONS: the survey function's rate-limit buckets), with no read of the table: the
 * aggregation's counters, the log and the markers stay out of reach of a public function.
 */
export type StatsUse =
  | 'read'
  | { readonly write: readonly WriteAction[]; readonly partitions: readonly StatsPartition[] };

export interface RouteDefinition {
  /** Stable name: the Lambda function's logical id and log group. */
  readonly name: string;
  readonly method: HttpMethod;
  /** API Gateway v2 route path, with `{param}` placeholders. */
  readonly path: string;
  readonly entry: string;
  /** Who may call it: `agency` routes verify a signed JWT in the handler (CONTRACT.md). */
  readonly access: 'public' | 'agency';
  /** Steady-state requests per second and burst allowed at the API stage for this route. */
  readonly throttle: { readonly rate: number; readonly burst: number };
  /** Tables the handler needs and how: drives least-privilege grants in CDK. */
  readonly tables: { readonly records?: RecordsUse; readonly stats?: StatsUse };
  /** Other resources the handler needs: drives grants and environment in CDK. */
  readonly needs?: readonly ('attachments-bucket' | 'dossier-hmac-secret' | 'unit-registry')[];
  /** Its request body and answers, as the OpenAPI document states them and the HTTP shell enforces them. */
  readonly operation: OperationSpec;
}

/**
 * What an agency's publication writes: the document's items (current and versions, or the one report item), the
 * replay marker of its token and the exact signed body, all Puts of one transaction (or the marker alone when the
 * same content comes again).
 */
const PUBLISHES = {
  conclusion: { write: ['PutItem'], partitions: ['conclusion', 'replay-marker', 'signed-body'] },
  summary: { write: ['PutItem'], partitions: ['summary', 'replay-marker', 'signed-body'] },
  report: { write: ['PutItem'], partitions: ['report', 'replay-marker', 'signed-body'] },
} as const satisfies Record<string, RecordsUse>;

/** The answers of a publication: 201 for a new record, 200 with the stored one for the same content again. */
function publishAnswers(body: ComponentName, created: string, again: string) {
  return {
    responses: {
      201: { description: created, body, location: true },
      200: { description: again, body, location: true },
    },
    problems: [...WRITE_ERRORS, 409],
  };
}

/** The answers of a public read of one record by id: the record, or 404. */
function readById(what: string, body: ComponentName, description: string) {
  return { params: { id: `The ${what} id.` }, responses: { 200: { description, body } }, problems: [404, 503] };
}

/** The entries with their exact types, so a handler's body type follows from its route (`route-body.ts`). */
export const routeTable = [
  {
    name: 'health',
    method: 'GET',
    path: '/api/v1/health',
    entry: 'functions/health/handler.ts',
    access: 'public',
    throttle: { rate: 50, burst: 100 },
    tables: { records: 'read' },
    operation: {
      operationId: 'health',
      tag: 'service',
      summary: 'Is the service up',
      responses: { 200: { description: 'The store answers.', body: 'Health' } },
      problems: [503],
    },
  },
  {
    name: 'surveys-create',
    method: 'POST',
    path: '/api/v1/surveys',
    entry: 'functions/surveys/create.ts',
    access: 'public',
    // Citizens at a counter, not a crowd: a modest stage limit; the handler also limits each client per minute.
    throttle: { rate: 20, burst: 40 },
    // `refusal`: the day's count of refused submissions, by reason (integrity statistics), and nothing else of them.
    // `rate-bucket`: its client's count in the minute, in the stats table, in the survey's own transaction.
    tables: {
      records: { write: ['PutItem', 'UpdateItem'], partitions: ['survey', 'comment', 'refusal'] },
      stats: { write: ['UpdateItem'], partitions: ['rate-bucket'] },
    },
    // `unit-registry`: resolves service points from the committed registry shipped beside the bundle, while the
    // store's manifest says it holds exactly those units (shared/storage/units-repository.ts).
    needs: ['dossier-hmac-secret', 'unit-registry'],
    operation: {
      operationId: 'submitSurvey',
      tag: 'surveys',
      summary: 'Rate a service received (one response per dossier)',
      description:
        'JSON gets 201; the HTML form (application/x-www-form-urlencoded, dotted names) gets 303 to a thank-you page.',
      request: routeRequests['surveys-create'],
      responses: {
        201: { description: 'Recorded.', body: 'SurveyCreated' },
        303: { description: 'Recorded (form post): see the thank-you page.' },
      },
      problems: [400, 409, 413, 415, 422, 429, 503],
    },
  },
  // Agency API (issue 3): agencies publish conclusions and reports; anyone reads them. Agency routes verify a
  // signed JWT in the handler; their stage limits are low because a few dozen agencies publish a few a day.
  {
    name: 'openapi',
    method: 'GET',
    path: '/api/v1/openapi.json',
    entry: 'functions/openapi/handler.ts',
    access: 'public',
    throttle: { rate: 20, burst: 40 },
    tables: {},
    operation: {
      operationId: 'openapi',
      tag: 'service',
      summary: 'This document',
      responses: { 200: { description: 'OpenAPI 3.1', body: 'OpenApiDocument' } },
      problems: [],
    },
  },
  {
    name: 'conclusions-create',
    method: 'POST',
    path: '/api/v1/conclusions',
    entry: 'functions/conclusions/create.ts',
    access: 'agency',
    throttle: { rate: 10, burst: 50 },
    tables: { records: PUBLISHES.conclusion },
    // Unit codes resolved from the committed registry beside the bundle while the store vouches for it.
    needs: ['unit-registry'],
    operation: {
      operationId: 'createConclusion',
      tag: 'conclusions',
      summary: 'Publish an inspection conclusion',
      description: `Idempotent: the same content again answers 200 with the stored record. Body at most ${CONCLUSION_MAX_BODY_BYTES} bytes. Rules beyond the schema: the disciplined (summed over forms) never exceed the violating; each unit code names a unit in force on issuedOn within the agency's jurisdiction; dates are not in the future (Vietnam time). Text is stored NFC-normalized.`,
      request: routeRequests['conclusions-create'],
      ...publishAnswers(
        'Conclusion',
        'Created, version 1.',
        'The same content was already published: the stored record.',
      ),
    },
  },
  {
    name: 'conclusions-get',
    method: 'GET',
    path: '/api/v1/conclusions/{id}',
    entry: 'functions/conclusions/get.ts',
    access: 'public',
    throttle: { rate: 50, burst: 100 },
    tables: { records: 'read' },
    operation: {
      operationId: 'getConclusion',
      tag: 'conclusions',
      summary: 'Read a conclusion: its current version and its history',
      ...readById('conclusion', 'Conclusion', 'The conclusion with `versions`.'),
    },
  },
  {
    name: 'conclusions-correct',
    method: 'PUT',
    path: '/api/v1/conclusions/{id}',
    entry: 'functions/conclusions/correct.ts',
    access: 'agency',
    throttle: { rate: 10, burst: 50 },
    tables: { records: PUBLISHES.conclusion },
    // Unit codes resolved from the committed registry beside the bundle while the store vouches for it.
    needs: ['unit-registry'],
    operation: {
      operationId: 'correctConclusion',
      tag: 'conclusions',
      summary: 'Correct a conclusion (a new version)',
      description:
        'The whole corrected content. The document number cannot change. The same correction again answers 200 with the version it made.',
      params: { id: 'The conclusion id.' },
      ifMatch: 'required',
      request: routeRequests['conclusions-correct'],
      responses: { 200: { description: 'The new version (version + 1).', body: 'Conclusion', location: true } },
      problems: [...WRITE_ERRORS, 404, 409, 412, 428],
    },
  },
  {
    name: 'conclusions-retract',
    method: 'POST',
    path: '/api/v1/conclusions/{id}/retraction',
    entry: 'functions/conclusions/retract.ts',
    access: 'agency',
    throttle: { rate: 10, burst: 50 },
    tables: { records: PUBLISHES.conclusion },
    operation: {
      operationId: 'retractConclusion',
      tag: 'conclusions',
      summary: 'Retract a conclusion (a new version with status "retracted")',
      description:
        'The body is optional; an empty body retracts without a stated reason. Retracting again answers 200.',
      params: { id: 'The conclusion id.' },
      ifMatch: 'optional',
      request: routeRequests['conclusions-retract'],
      responses: { 200: { description: 'The retracted version.', body: 'Conclusion', location: true } },
      problems: [...WRITE_ERRORS, 404, 412],
    },
  },
  {
    name: 'conclusions-attach',
    method: 'POST',
    path: '/api/v1/conclusions/{id}/attachment',
    entry: 'functions/conclusions/attach.ts',
    access: 'agency',
    throttle: { rate: 5, burst: 20 },
    tables: { records: { write: ['UpdateItem', 'PutItem'], partitions: ['conclusion', 'replay-marker'] } },
    needs: ['attachments-bucket'],
    operation: {
      operationId: 'attachDocument',
      tag: 'conclusions',
      summary: 'Announce the signed PDF of the current version and get where to upload it',
      description:
        'Its SHA-256 and size are published at once. In AWS the upload is a pre-signed S3 PUT bound to the checksum; locally it is PUT /api/v1/attachments/{name}, signed.',
      params: { id: 'The conclusion id.' },
      request: routeRequests['conclusions-attach'],
      responses: {
        201: { description: 'Announced.', body: 'AttachmentResponse' },
        200: { description: 'The same file was already announced.', body: 'AttachmentResponse' },
      },
      problems: [...WRITE_ERRORS, 404, 409],
    },
  },
  {
    name: 'attachments-upload',
    method: 'PUT',
    path: '/api/v1/attachments/{name}',
    entry: 'functions/conclusions/upload.ts',
    access: 'agency',
    throttle: { rate: 5, burst: 20 },
    tables: { records: { write: ['PutItem'], partitions: ['replay-marker'] } },
    needs: ['attachments-bucket'],
    operation: {
      operationId: 'uploadAttachment',
      tag: 'conclusions',
      summary: 'Upload the bytes of an announced attachment',
      params: { name: 'The attachment name from the upload instructions.' },
      request: routeRequests['attachments-upload'],
      responses: { 200: { description: 'Stored.', body: 'UploadResult' } },
      problems: [...WRITE_ERRORS, 404],
    },
  },
  {
    name: 'attachments-get',
    method: 'GET',
    path: '/api/v1/attachments/{name}',
    entry: 'functions/conclusions/download.ts',
    access: 'public',
    throttle: { rate: 20, burst: 40 },
    tables: {},
    needs: ['attachments-bucket'],
    operation: {
      operationId: 'getAttachment',
      tag: 'conclusions',
      summary: 'Download a published attachment',
      params: { name: 'The attachment name.' },
      responses: {
        200: { description: 'The PDF.', body: { binary: 'application/pdf' } },
        302: { description: 'A short-lived URL of the PDF.' },
      },
      problems: [404, 503],
    },
  },
  // Summary reports (issue 11): the totals of a span of dates as an authority states them; versioned like
  // conclusions and published beside the counted figures, never added into them.
  {
    name: 'summaries-create',
    method: 'POST',
    path: '/api/v1/summaries',
    entry: 'functions/summaries/create.ts',
    access: 'agency',
    throttle: { rate: 10, burst: 50 },
    tables: { records: PUBLISHES.summary },
    // Unit codes resolved from the committed registry beside the bundle while the store vouches for it.
    needs: ['unit-registry'],
    operation: {
      operationId: 'publishSummary',
      tag: 'summaries',
      summary: 'Publish a summary report: the totals of a span of dates, as stated',
      description:
        "Each figure exactly as the source states it: `total` alone when it does not split organizations and individuals, a percentage when it gives only a percentage, absent when it does not give it. Published beside the figures counted from conclusions, never added into them. The same content again answers 200; different content under the same document number is 409 (correct with PUT); `jurisdiction` outside the agency's is 403.",
      request: routeRequests['summaries-create'],
      ...publishAnswers('Summary', 'Published (version 1).', 'The same content was already published.'),
    },
  },
  {
    name: 'summaries-get',
    method: 'GET',
    path: '/api/v1/summaries/{id}',
    entry: 'functions/summaries/get.ts',
    access: 'public',
    throttle: { rate: 50, burst: 100 },
    tables: { records: 'read' },
    operation: {
      operationId: 'getSummary',
      tag: 'summaries',
      summary: 'Read a summary report: its current version and its history',
      ...readById('summary', 'Summary', 'The summary with `versions`.'),
    },
  },
  {
    name: 'summaries-correct',
    method: 'PUT',
    path: '/api/v1/summaries/{id}',
    entry: 'functions/summaries/correct.ts',
    access: 'agency',
    throttle: { rate: 10, burst: 50 },
    tables: { records: PUBLISHES.summary },
    // Unit codes resolved from the committed registry beside the bundle while the store vouches for it.
    needs: ['unit-registry'],
    operation: {
      operationId: 'correctSummary',
      tag: 'summaries',
      summary: 'Correct a summary report (a new version)',
      description: 'The whole corrected summary, with an optional `reason`. The document number cannot change.',
      params: { id: 'The summary id.' },
      ifMatch: 'required',
      request: routeRequests['summaries-correct'],
      responses: { 200: { description: 'The new version.', body: 'Summary', location: true } },
      problems: [...WRITE_ERRORS, 404, 409, 412, 428],
    },
  },
  {
    name: 'summaries-retract',
    method: 'POST',
    path: '/api/v1/summaries/{id}/retraction',
    entry: 'functions/summaries/retract.ts',
    access: 'agency',
    throttle: { rate: 10, burst: 50 },
    tables: { records: PUBLISHES.summary },
    operation: {
      operationId: 'retractSummary',
      tag: 'summaries',
      summary: 'Retract a summary report (a new version with status "retracted")',
      description: 'The body is optional: `{ "reason": "…" }`. Retracting again is a no-op (200).',
      params: { id: 'The summary id.' },
      ifMatch: 'optional',
      request: routeRequests['summaries-retract'],
      responses: { 200: { description: 'Retracted.', body: 'Summary', location: true } },
      problems: [...WRITE_ERRORS, 404, 412],
    },
  },
  {
    name: 'reports-create',
    method: 'POST',
    path: '/api/v1/reports',
    entry: 'functions/reports/create.ts',
    access: 'agency',
    throttle: { rate: 10, burst: 50 },
    tables: { records: PUBLISHES.report },
    // Unit codes resolved from the committed registry beside the bundle while the store vouches for it.
    needs: ['unit-registry'],
    operation: {
      operationId: 'fileReport',
      tag: 'reports',
      summary: 'File the procedure-handling figures of a unit for a month',
      description:
        'One report per agency, unit and period (a month, a quarter or a year). The same figures again answer 200; other figures are 409 (correct with PUT).',
      request: routeRequests['reports-create'],
      ...publishAnswers('Report', 'Filed.', 'The same figures were already filed.'),
    },
  },
  {
    name: 'reports-get',
    method: 'GET',
    path: '/api/v1/reports/{id}',
    entry: 'functions/reports/get.ts',
    access: 'public',
    throttle: { rate: 50, burst: 100 },
    tables: { records: 'read' },
    operation: {
      operationId: 'getReport',
      tag: 'reports',
      summary: 'Read a report',
      ...readById('report', 'Report', 'The report.'),
    },
  },
  {
    name: 'reports-correct',
    method: 'PUT',
    path: '/api/v1/reports/{id}',
    entry: 'functions/reports/correct.ts',
    access: 'agency',
    throttle: { rate: 10, burst: 50 },
    tables: { records: PUBLISHES.report },
    // Unit codes resolved from the committed registry beside the bundle while the store vouches for it.
    needs: ['unit-registry'],
    operation: {
      operationId: 'correctReport',
      tag: 'reports',
      summary: 'Correct a report (same unit and month)',
      params: { id: 'The report id.' },
      ifMatch: 'required',
      request: routeRequests['reports-correct'],
      responses: { 200: { description: 'The corrected report (version + 1).', body: 'Report', location: true } },
      problems: [...WRITE_ERRORS, 404, 412, 428],
    },
  },
] as const satisfies readonly RouteDefinition[];

export const routes: readonly RouteDefinition[] = routeTable;

/** Matches a concrete path against a route path; returns the path parameters or undefined. */
export function matchPath(routePath: string, actualPath: string): Record<string, string> | undefined {
  const want = routePath.split('/');
  const got = actualPath.split('/');
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i] ?? '';
    const g = got[i] ?? '';
    if (w.startsWith('{') && w.endsWith('}')) {
      if (g === '') return undefined;
      try {
        params[w.slice(1, -1)] = decodeURIComponent(g);
      } catch {
        return undefined;
      }
    } else if (w !== g) {
      return undefined;
    }
  }
  return params;
}

/** The route a request names (`match`), or the methods its path allows (`allowed`, for a 405), or none (404). */
export function findRoute(
  method: string,
  path: string,
  table: readonly RouteDefinition[] = routes,
): { match?: { route: RouteDefinition; params: Record<string, string> }; allowed: HttpMethod[] } {
  const candidates = table.flatMap((route) => {
    const params = matchPath(route.path, path);
    return params ? [{ route, params }] : [];
  });
  const match = candidates.find((candidate) => candidate.route.method === method);
  return { ...(match ? { match } : {}), allowed: candidates.map((candidate) => candidate.route.method) };
}
