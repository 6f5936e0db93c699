import { generateKeyPairSync } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { ConclusionApiDependencies } from '../../functions/conclusions/dependencies.js';
import type { AgencyApiDependencies } from '../../functions/lib/agency-api.js';
import type { Agency } from '../../shared/agencies/schemas.js';
import { registerAgency } from '../../shared/agencies/service.js';
import { type SigningKey, signAgencyRequest, signingKeyFromPem } from '../../shared/auth/sign-agency-request.js';
import { DynamoAgencyRepository } from '../../shared/storage/agencies-repository.js';
import { attachmentStoreFromEnv } from '../../shared/storage/attachments-repository.js';
import { DynamoConclusionStore } from '../../shared/storage/conclusions-repository.js';
import { DynamoReportStore } from '../../shared/storage/reports-repository.js';
import { DynamoSummaryStore } from '../../shared/storage/summaries-repository.js';
import { DynamoUnitLookup } from '../../shared/storage/units-repository.js';
import { loadRegistryFile } from '../../shared/units/load.js';
import type { UnitRegistry } from '../../shared/units/registry.js';
import { RegistryUnitLookup } from '../../shared/units/registry-lookup.js';
import { type ApiHandler, apiEvent, lambdaContext } from './api-event.js';
import type { TestTables } from './dynamodb.js';
import { saveTestUnits } from './units.js';

/**
 * Agencies, keys and signed requests for the agency API tests: a fresh Ed25519 key pair per agency, the
 * committed unit registry loaded into the test tables, and API Gateway v2 events signed as the CLI signs them.
 */

export interface TestKeyPair {
  readonly publicPem: string;
  readonly privatePem: string;
}

/** A fresh Ed25519 key pair, as `openssl genpkey -algorithm ed25519` would make (PKCS#8 and SPKI PEM). */
export function generateKeyPair(): TestKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return {
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

/** The committed registry (the whole country), read once per test file. */
export function committedRegistry(): UnitRegistry {
  committedRegistry_ ??= loadRegistryFile();
  return committedRegistry_;
}
let committedRegistry_: UnitRegistry | undefined;

/**
 * The agency API's ports over the test tables (the production adapters, wired to these tables), with the conclusion
 * routes' attachment store (a superset that every agency route takes). Units come from the committed registry in
 * memory by default, so table snapshots stay small; `units: 'table'` reads them from the table instead (after
 * loadCommittedRegistry), as the handlers do in production.
 */
export function testDependencies(
  tables: TestTables,
  options: { attachmentsDir?: string; units?: 'memory' | 'table' } = {},
): ConclusionApiDependencies {
  const agencies = new DynamoAgencyRepository(tables.doc, tables.names.records);
  return {
    agencies,
    replay: agencies,
    conclusions: new DynamoConclusionStore(tables.doc, tables.names.records),
    reports: new DynamoReportStore(tables.doc, tables.names.records),
    summaries: new DynamoSummaryStore(tables.doc, tables.names.records),
    units:
      options.units === 'table'
        ? new DynamoUnitLookup(tables.doc, tables.names.records)
        : new RegistryUnitLookup(committedRegistry()),
    attachments: attachmentStoreFromEnv({ ATTACHMENTS_DIR: options.attachmentsDir ?? '/tmp/cong-vu-test-attachments' }),
  };
}

/** Loads the committed registry's Hanoi and Quảng Ninh (and every province) into the test tables (units.ts). */
export async function loadCommittedRegistry(tables: TestTables): Promise<void> {
  await saveTestUnits(tables.doc, tables.names.records, committedRegistry());
}

export interface TestAgency {
  readonly agency: Agency;
  readonly keys: TestKeyPair;
  readonly signing: SigningKey;
}

/** Registers an agency with a fresh key through the domain service (as the admin CLI does). */
export async function registerTestAgency(
  deps: AgencyApiDependencies,
  id: string,
  jurisdiction: readonly string[],
  name = `Đoàn kiểm tra ${id}`,
): Promise<TestAgency> {
  const keys = generateKeyPair();
  const { agency } = await registerAgency(
    { id, name, jurisdiction, publicKeyPem: keys.publicPem },
    { agencies: deps.agencies as DynamoAgencyRepository, units: deps.units },
  );
  return { agency, keys, signing: await signingKeyFromPem(id, keys.privatePem) };
}

export interface SignedRequest {
  readonly method: 'GET' | 'POST' | 'PUT';
  readonly path: string;
  readonly routePath?: string;
  readonly params?: Record<string, string>;
  readonly body?: unknown;
  /** Raw bytes instead of JSON. */
  readonly rawBody?: Buffer;
  readonly headers?: Record<string, string>;
  /** Overrides of the signing (for the tests of refused tokens). */
  readonly sign?: {
    readonly key?: SigningKey;
    readonly now?: Date;
    readonly lifetimeSeconds?: number;
    readonly jti?: string;
    readonly method?: string;
    readonly path?: string;
    readonly body?: Buffer;
  };
  /** Send no Authorization header at all. */
  readonly unsigned?: boolean;
}

/** Builds a signed API Gateway v2 event for an agency request. */
export async function signedEvent(agency: TestAgency, request: SignedRequest): Promise<APIGatewayProxyEventV2> {
  const body =
    request.rawBody ?? (request.body === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(request.body)));
  const headers: Record<string, string> = {
    ...(body.length > 0 ? { 'content-type': 'application/json' } : {}),
    ...request.headers,
  };
  if (!request.unsigned) {
    headers.authorization = await signAgencyRequest(request.sign?.key ?? agency.signing, {
      method: request.sign?.method ?? request.method,
      pathWithQuery: request.sign?.path ?? request.path,
      body: request.sign?.body ?? body,
      ...(request.sign?.now ? { now: request.sign.now } : {}),
      ...(request.sign?.lifetimeSeconds ? { lifetimeSeconds: request.sign.lifetimeSeconds } : {}),
      ...(request.sign?.jti ? { jti: request.sign.jti } : {}),
    });
  }
  return apiEvent({
    method: request.method,
    path: request.path,
    ...(request.routePath ? { routePath: request.routePath } : {}),
    ...(request.params ? { params: request.params } : {}),
    headers,
    ...(body.length > 0 ? { body } : {}),
  });
}

export interface Answer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Record<string, unknown>;
}

/** Calls a handler with an event and parses its JSON answer. */
export async function call(handler: ApiHandler, event: APIGatewayProxyEventV2): Promise<Answer> {
  const result = await handler(event, lambdaContext());
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name.toLowerCase()] = String(value);
  return {
    status: result.statusCode ?? 200,
    headers,
    body: result.body ? (JSON.parse(result.body) as Record<string, unknown>) : {},
  };
}

/** The example conclusion of CONTRACT.md, for Vĩnh Hưng ward (00304) of Hoàng Mai, Hanoi. */
export function exampleConclusion(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    documentNumber: '385/KL-ĐKTCV',
    issuedOn: '2024-05-20',
    kind: 'surprise',
    inspectedUnits: ['00304'],
    topics: ['administrative_discipline', 'procedure_handling'],
    legalBasis: ['24-CT/TU'],
    summary: { vi: 'Kiểm tra đột xuất việc chấp hành kỷ luật, kỷ cương hành chính.', en: 'Surprise inspection.' },
    violations: { organizations: 1, individuals: 2 },
    discipline: [{ form: 'reprimand', organizations: 0, individuals: 2 }],
    otherMeasures: { transfers: 0, responsibilityReviews: 1 },
    recommendations: [{ text: { vi: 'Chấn chỉnh việc tiếp nhận hồ sơ.' }, status: 'open' }],
    ...overrides,
  };
}

/**
 * The signed requests of a versioned document route (`/api/v1/conclusions`, `/summaries`, `/reports`): create,
 * correct (PUT with its `If-Match` in `headers`), retract, and the public read. One definition for every
 * versioned route's tests, so the routes are exercised the same way.
 */
export function documentRequests(path: string) {
  const item = (id: string) => ({ path: `${path}/${id}`, routePath: `${path}/{id}`, params: { id } });
  return {
    post: (agency: TestAgency, body: unknown, extra: Partial<SignedRequest> = {}) =>
      signedEvent(agency, { method: 'POST', path, body, ...extra }),
    put: (agency: TestAgency, id: string, body: unknown, headers: Record<string, string> = {}) =>
      signedEvent(agency, { method: 'PUT', ...item(id), body, headers }),
    retraction: (agency: TestAgency, id: string, body?: unknown, headers: Record<string, string> = {}) =>
      signedEvent(agency, {
        method: 'POST',
        path: `${path}/${id}/retraction`,
        routePath: `${path}/{id}/retraction`,
        params: { id },
        ...(body === undefined ? {} : { body }),
        headers,
      }),
    read: (id: string) => apiEvent({ method: 'GET', ...item(id) }),
  };
}
