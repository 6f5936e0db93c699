/**
 * The route table: one entry per HTTP handler. The local gateway (`local/gateway.ts`) dispatches with it and
 * the CDK API stack (`infra/`) creates one NodejsFunction and one route per entry, so the two cannot drift.
 * `entry` is relative to the repository root; each module exports `handler`.
 */

import type { RecordsPartition } from '../shared/storage/keys.js';

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
  /** Tables the handler needs and how: drives least-privilege grants in CDK (data only; no route writes stats). */
  readonly tables: { readonly records?: RecordsUse; readonly stats?: 'read' };
  /** Other resources the handler needs: drives grants and environment in CDK. */
  readonly needs?: readonly ('attachments-bucket' | 'dossier-hmac-secret')[];
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

export const routes: readonly RouteDefinition[] = [
  {
    name: 'health',
    method: 'GET',
    path: '/api/v1/health',
    entry: 'functions/health/handler.ts',
    access: 'public',
    throttle: { rate: 50, burst: 100 },
    tables: { records: 'read' },
  },
  {
    name: 'surveys-create',
    method: 'POST',
    path: '/api/v1/surveys',
    entry: 'functions/surveys/create.ts',
    access: 'public',
    // Citizens at a counter, not a crowd: a modest stage limit; the handler also limits each client per minute.
    throttle: { rate: 20, burst: 40 },
    tables: { records: { write: ['PutItem', 'UpdateItem'], partitions: ['survey', 'comment', 'rate-bucket'] } },
    needs: ['dossier-hmac-secret'],
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
  },
  {
    name: 'conclusions-create',
    method: 'POST',
    path: '/api/v1/conclusions',
    entry: 'functions/conclusions/create.ts',
    access: 'agency',
    throttle: { rate: 10, burst: 50 },
    tables: { records: PUBLISHES.conclusion },
  },
  {
    name: 'conclusions-get',
    method: 'GET',
    path: '/api/v1/conclusions/{id}',
    entry: 'functions/conclusions/get.ts',
    access: 'public',
    throttle: { rate: 50, burst: 100 },
    tables: { records: 'read' },
  },
  {
    name: 'conclusions-correct',
    method: 'PUT',
    path: '/api/v1/conclusions/{id}',
    entry: 'functions/conclusions/correct.ts',
    access: 'agency',
    throttle: { rate: 10, burst: 50 },
    tables: { records: PUBLISHES.conclusion },
  },
  {
    name: 'conclusions-retract',
    method: 'POST',
    path: '/api/v1/conclusions/{id}/retraction',
    entry: 'functions/conclusions/retract.ts',
    access: 'agency',
    throttle: { rate: 10, burst: 50 },
    tables: { records: PUBLISHES.conclusion },
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
  },
  {
    name: 'summaries-get',
    method: 'GET',
    path: '/api/v1/summaries/{id}',
    entry: 'functions/summaries/get.ts',
    access: 'public',
    throttle: { rate: 50, burst: 100 },
    tables: { records: 'read' },
  },
  {
    name: 'summaries-correct',
    method: 'PUT',
    path: '/api/v1/summaries/{id}',
    entry: 'functions/summaries/correct.ts',
    access: 'agency',
    throttle: { rate: 10, burst: 50 },
    tables: { records: PUBLISHES.summary },
  },
  {
    name: 'summaries-retract',
    method: 'POST',
    path: '/api/v1/summaries/{id}/retraction',
    entry: 'functions/summaries/retract.ts',
    access: 'agency',
    throttle: { rate: 10, burst: 50 },
    tables: { records: PUBLISHES.summary },
  },
  {
    name: 'reports-create',
    method: 'POST',
    path: '/api/v1/reports',
    entry: 'functions/reports/create.ts',
    access: 'agency',
    throttle: { rate: 10, burst: 50 },
    tables: { records: PUBLISHES.report },
  },
  {
    name: 'reports-get',
    method: 'GET',
    path: '/api/v1/reports/{id}',
    entry: 'functions/reports/get.ts',
    access: 'public',
    throttle: { rate: 50, burst: 100 },
    tables: { records: 'read' },
  },
  {
    name: 'reports-correct',
    method: 'PUT',
    path: '/api/v1/reports/{id}',
    entry: 'functions/reports/correct.ts',
    access: 'agency',
    throttle: { rate: 10, burst: 50 },
    tables: { records: PUBLISHES.report },
  },
];

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
