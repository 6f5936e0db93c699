import { randomBytes } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ORIGIN_VERIFY_HEADER, VIEWER_ADDRESS_HEADER } from '../../functions/lib/origin-verify.js';
import { routes } from '../../functions/routes.js';
import { registerAgency } from '../../shared/agencies/service.js';
import { type SigningKey, signAgencyRequest, signingKeyFromPem } from '../../shared/auth/sign-agency-request.js';
import { DynamoAgencyRepository } from '../../shared/storage/agencies-repository.js';
import { DynamoUnitLookup, readUnitsManifest, saveUnits, unitsDigest } from '../../shared/storage/units-repository.js';
import { todayInVietnam } from '../../shared/time/periods.js';
import { loadRegistryFile } from '../../shared/units/load.js';
import { generateKeyPair } from './agency-fixtures.js';

/**
 * The requests the bench, the load tests and the fault tests send to each route: one source, so a figure in
 * docs/benchmarks.md and an accounting test exercise the same thing. Each workload turns an index into a
 * distinct valid request (a survey with its own dossier code, a conclusion with its own document number).
 */

export interface WorkloadRequest {
  readonly method: string;
  readonly path: string;
  readonly routePath: string;
  readonly params?: Record<string, string>;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

export interface Workload {
  /** The route's name in functions/routes.ts. */
  readonly route: string;
  /** Whether the route writes: its baseline is then a bare PutItem, otherwise a bare GetItem. */
  readonly writes: boolean;
  /**
   * Creates what the requests read (a conclusion to GET), through the API at `origin`; once, before them. `headers`
   * go on its requests too (a front door's, see `behindFrontDoor`).
   */
  readonly prepare?: (origin: string, headers?: Readonly<Record<string, string>>) => Promise<void>;
  /** The i-th request; async because agency requests are signed. */
  readonly request: (i: number) => Promise<WorkloadRequest>;
}

const get = (path: string, routePath: string): WorkloadRequest => ({ method: 'GET', path, routePath, headers: {} });

/** `GET /api/v1/openapi.json`. */
export const openApiWorkload: Workload = {
  route: 'openapi',
  writes: false,
  request: async () => get('/api/v1/openapi.json', '/api/v1/openapi.json'),
};

/** Sends a signed agency request to a running API and answers its JSON, or throws with the problem. */
async function signedPost(
  origin: string,
  signing: SigningKey,
  path: string,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): Promise<Record<string, unknown>> {
  const bytes = Buffer.from(JSON.stringify(body));
  const authorization = await signAgencyRequest(signing, { method: 'POST', pathWithQuery: path, body: bytes });
  const response = await fetch(`${origin}${path}`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json', authorization },
    body: bytes,
  });
  const answer = (await response.json()) as Record<string, unknown>;
  if (response.status >= 300) throw new Error(`${path}: ${response.status} ${JSON.stringify(answer)}`);
  return answer;
}

/** `GET /api/v1/conclusions/{id}` of one conclusion published in `prepare`. */
export function conclusionGetWorkload(signing: SigningKey, runId: string): Workload {
  let id = '';
  return {
    route: 'conclusions-get',
    writes: false,
    async prepare(origin, headers) {
      const body = conclusionBody(`${runId}-get`, 0);
      id = String((await signedPost(origin, signing, '/api/v1/conclusions', body, headers)).id);
    },
    request: async () => get(`/api/v1/conclusions/${id}`, '/api/v1/conclusions/{id}'),
  };
}

/** `GET /api/v1/reports/{id}` of one report filed in `prepare`. */
export function reportGetWorkload(signing: SigningKey): Workload {
  let id = '';
  return {
    route: 'reports-get',
    writes: false,
    async prepare(origin, headers) {
      // The earliest month, which the create workload's pairs (newest first) never reach.
      const pair = { code: formerServicePointCodes()[0] ?? '', month: '1990-01' };
      id = String((await signedPost(origin, signing, '/api/v1/reports', reportBodyFor(pair), headers)).id);
    },
    request: async () => get(`/api/v1/reports/${id}`, '/api/v1/reports/{id}'),
  };
}

let reportPairCache: { code: string; month: string }[] | undefined;

/** Codes of the wards and communes abolished by the 2025 reorganisation, in force until then. */
function formerServicePointCodes(): string[] {
  return loadRegistryFile()
    .all()
    .filter((unit) => unit.level === 3 && unit.validTo === '2025-07-01' && unit.validFrom === null)
    .map((unit) => unit.code);
}

/**
 * Distinct (unit, month) pairs a report can be filed for (one report per agency, unit and month): today's wards
 * and communes for each month since the 2025 reorganisation, then the former ones for each month before it.
 */
export function reportPairs(count: number): { code: string; month: string }[] {
  if (!reportPairCache || reportPairCache.length < count) {
    const current = servicePointCodes();
    const former = formerServicePointCodes();
    const pairs: { code: string; month: string }[] = [];
    const thisMonth = todayInVietnam().slice(0, 7);
    const monthOf = (k: number) => {
      const d = new Date(Date.UTC(2025, 6 + k, 1));
      return d.toISOString().slice(0, 7);
    };
    for (let k = 0; monthOf(k) <= thisMonth && pairs.length < count; k++)
      for (const code of current) pairs.push({ code, month: monthOf(k) });
    for (let k = -1; monthOf(k) >= '1990-01' && pairs.length < count; k--)
      for (const code of former) pairs.push({ code, month: monthOf(k) });
    reportPairCache = pairs;
  }
  return reportPairCache.slice(0, count);
}

function reportBodyFor(pair: { code: string; month: string } | undefined): Record<string, unknown> {
  if (!pair) throw new Error('no (unit, month) pair left for a report');
  return {
    unit: pair.code,
    month: pair.month,
    procedures: { received: 140, resolvedEarly: 20, resolvedOnTime: 115, resolvedLate: 3, pendingOverdue: 2 },
  };
}

/** `POST /api/v1/reports`, signed; request i files for the i-th (unit, month) pair. */
export function reportWorkload(signing: SigningKey): Workload {
  return {
    route: 'reports-create',
    writes: true,
    async request(i) {
      const body = JSON.stringify(reportBodyFor(reportPairs(i + 1)[i]));
      const authorization = await signAgencyRequest(signing, {
        method: 'POST',
        pathWithQuery: '/api/v1/reports',
        body: Buffer.from(body),
        lifetimeSeconds: 300,
      });
      return {
        method: 'POST',
        path: '/api/v1/reports',
        routePath: '/api/v1/reports',
        headers: { 'content-type': 'application/json', authorization },
        body,
      };
    },
  };
}

/** `GET /api/v1/health`. */
export const healthWorkload: Workload = {
  route: 'health',
  writes: false,
  request: async () => ({ method: 'GET', path: '/api/v1/health', routePath: '/api/v1/health', headers: {} }),
};

let serviceCodes: string[] | undefined;

/** Codes of the wards and communes in force today in the committed registry: where surveys can be given. */
export function servicePointCodes(): string[] {
  serviceCodes ??= loadRegistryFile()
    .all()
    .filter((unit) => unit.level === 3 && unit.validTo === null)
    .map((unit) => unit.code);
  return serviceCodes;
}

/** The body of the i-th survey of a run: its own dossier code, a service point in turn, a comment every 5th. */
export function surveyBody(runId: string, i: number): Record<string, unknown> {
  const codes = servicePointCodes();
  const rating = (k: number) => ((i * 7 + k * 3) % 5) + 1;
  return {
    unit: codes[i % codes.length],
    dossierCode: `LOAD-${runId}-${i}`,
    ratings: {
      access: rating(1),
      procedures: rating(2),
      staff: rating(3),
      results: rating(4),
      feedback: i % 3 === 0 ? null : rating(5),
    },
    overall: rating(6),
    ...(i % 5 === 0 ? { comment: `Ý kiến số ${i}: cán bộ hướng dẫn tận tình.` } : {}),
  };
}

/** `POST /api/v1/surveys` as JSON; `runId` keeps dossier codes of different runs apart. */
export function surveyWorkload(runId: string = randomBytes(4).toString('hex')): Workload {
  return {
    route: 'surveys-create',
    writes: true,
    request: async (i) => ({
      method: 'POST',
      path: '/api/v1/surveys',
      routePath: '/api/v1/surveys',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(surveyBody(runId, i)),
    }),
  };
}

/**
 * The body of the i-th conclusion of a run: its own document number, issued today (so every unit in force today
 * is valid for it), one service point in turn, counts that vary and keep the disciplined within the violating.
 */
export function conclusionBody(runId: string, i: number): Record<string, unknown> {
  const codes = servicePointCodes();
  const violating = (i % 4) + 1;
  return {
    documentNumber: `${i}/KL-TẢI-${runId}`,
    issuedOn: todayInVietnam(),
    kind: ['surprise', 'planned', 'specialized', 'thematic', 'directed'][i % 5],
    inspectedUnits: [codes[(i * 13) % codes.length]],
    topics: ['administrative_discipline'],
    legalBasis: ['24-CT/TU'],
    summary: { vi: `Kiểm tra công vụ số ${i}: chấp hành kỷ luật, kỷ cương hành chính.` },
    violations: { organizations: i % 2, individuals: violating },
    discipline: [{ form: 'reprimand', organizations: 0, individuals: violating - 1 }],
    otherMeasures: { transfers: 0, responsibilityReviews: i % 3 },
    recommendations: [{ text: { vi: 'Chấn chỉnh việc tiếp nhận hồ sơ.' }, status: 'open' }],
  };
}

/**
 * An agency registered, with its signing key, for `jurisdiction`: by default the whole committed registry (the
 * country: every province in force today, which covers every unit today and, through the merges, every unit
 * before). A test that stores only some units names their roots, since registration refuses codes it cannot find.
 */
export async function registerLoadAgency(
  doc: DynamoDBDocumentClient,
  recordsTable: string,
  id: string,
  jurisdiction: readonly string[] = loadRegistryFile()
    .roots(todayInVietnam())
    .map((unit) => unit.code),
): Promise<SigningKey> {
  const keys = generateKeyPair();
  await registerAgency(
    { id, name: `Đoàn kiểm tra tải ${id}`, jurisdiction: [...jurisdiction], publicKeyPem: keys.publicPem },
    { agencies: new DynamoAgencyRepository(doc, recordsTable), units: new DynamoUnitLookup(doc, recordsTable) },
  );
  return signingKeyFromPem(id, keys.privatePem);
}

/**
 * `POST /api/v1/conclusions`, signed by the agency as CONTRACT.md says (a token per request: method, path,
 * body hash, unique jti). Tokens live the longest allowed (300 s), since the bench signs them before the run.
 */
export function conclusionWorkload(signing: SigningKey, runId: string = randomBytes(4).toString('hex')): Workload {
  return {
    route: 'conclusions-create',
    writes: true,
    async request(i) {
      const body = JSON.stringify(conclusionBody(runId, i));
      const authorization = await signAgencyRequest(signing, {
        method: 'POST',
        pathWithQuery: '/api/v1/conclusions',
        body: Buffer.from(body),
        lifetimeSeconds: 300,
      });
      return {
        method: 'POST',
        path: '/api/v1/conclusions',
        routePath: '/api/v1/conclusions',
        headers: { 'content-type': 'application/json', authorization },
        body,
      };
    },
  };
}

/**
 * CloudFront in front of the API, as in production (infra/stacks/site-stack.ts, api-stack.ts): every request carries
 * the origin-verify value the stack accepts (`ORIGIN_VERIFY_VALUES`) and the viewer's `ip:port` in
 * `cloudfront-viewer-address`, which the functions trust only because that value passed (functions/lib/origin-verify.ts).
 * Request i comes from viewer address i of the benchmarking range 198.18.0.0/15 (RFC 2544): citizens at distinct
 * addresses, each counted on its own rate-limit counter (`clientPrefix` keeps an IPv4 address whole), as they are in
 * production, instead of one connection's address counting every request of the run.
 */
export interface FrontDoor {
  /** The origin-verify value CloudFront sends (one of the stack's `ORIGIN_VERIFY_VALUES`). */
  readonly originVerify: string;
}

/** Addresses in 198.18.0.0/15: 2^17 distinct viewers before they repeat. */
const VIEWER_ADDRESSES = 2 ** 17;

/** The `cloudfront-viewer-address` of viewer i: `ip:port`, as CloudFront writes it. */
export function viewerAddress(i: number): string {
  const n = ((i % VIEWER_ADDRESSES) + VIEWER_ADDRESSES) % VIEWER_ADDRESSES;
  return `198.${18 + (n >> 16)}.${(n >> 8) & 255}.${n & 255}:${49152 + (n % 16384)}`;
}

/** The headers CloudFront adds to a request of viewer i. */
export function frontDoorHeaders(door: FrontDoor, viewer: number): Record<string, string> {
  return { [ORIGIN_VERIFY_HEADER]: door.originVerify, [VIEWER_ADDRESS_HEADER]: viewerAddress(viewer) };
}

/** The same workload sent through the front door: request i from viewer i, `prepare` from viewer 0. */
export function behindFrontDoor(workload: Workload, door: FrontDoor): Workload {
  const { prepare } = workload;
  return {
    ...workload,
    ...(prepare ? { prepare: (origin, headers) => prepare(origin, { ...headers, ...frontDoorHeaders(door, 0) }) } : {}),
    async request(i) {
      const request = await workload.request(i);
      return { ...request, headers: { ...request.headers, ...frontDoorHeaders(door, i) } };
    },
  };
}

/** Loads the committed unit registry into a store that does not hold it yet (as `npm start` seeds it). */
export async function ensureUnits(doc: DynamoDBDocumentClient, recordsTable: string): Promise<void> {
  const registry = loadRegistryFile();
  const units = registry.all();
  const manifest = await readUnitsManifest(doc, recordsTable);
  if (manifest?.digest === unitsDigest(units)) return;
  await saveUnits(doc, recordsTable, units, registry);
}

/**
 * The workloads of the routes that exist in this tree, and the names of routes that have none yet. With a
 * signing key (an agency registered in the store under test), the agency routes have theirs too; with a front
 * door, every request goes through it.
 */
export function availableWorkloads(
  runId?: string,
  signing?: SigningKey,
  frontDoor?: FrontDoor,
): { workloads: Workload[]; missing: string[] } {
  const run = runId ?? randomBytes(4).toString('hex');
  const agency = signing
    ? [
        conclusionWorkload(signing, run),
        conclusionGetWorkload(signing, run),
        reportWorkload(signing),
        reportGetWorkload(signing),
      ]
    : [];
  const all = [healthWorkload, openApiWorkload, surveyWorkload(run), ...agency];
  const known = new Map<string, Workload>(all.map((workload) => [workload.route, workload]));
  const workloads: Workload[] = [];
  const missing: string[] = [];
  for (const route of routes) {
    const workload = known.get(route.name);
    if (workload) workloads.push(frontDoor ? behindFrontDoor(workload, frontDoor) : workload);
    else missing.push(route.name);
  }
  return { workloads, missing };
}
