import { API_AUDIENCE, CLOCK_SKEW_SECONDS, MAX_TOKEN_LIFETIME_SECONDS, SIGNING_ALGORITHM } from '../auth/constants.js';
import * as z from '../zod.js';
import { type ComponentName, components } from './components.js';
import type { DocumentedRoute, OperationSpec, ResponseSpec } from './operation.js';

/**
 * The OpenAPI 3.1 document of the API, generated from the route table (functions/routes.ts): each entry's
 * operation, and the same zod schemas that validate requests (zod 4's JSON Schema output, draft 2020-12, which is
 * OpenAPI 3.1's dialect). A route cannot be served and undocumented: the document has no other source.
 */

type JsonObject = Record<string, unknown>;

/** A component schema: request bodies as clients write them (defaults optional), responses as sent. */
function component(schema: z.core.$ZodType, io: 'input' | 'output'): JsonObject {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    // Refinements and transforms (cross-field rules, NFC) cannot be said in JSON Schema; the descriptions do.
    unrepresentable: 'any',
  }) as JsonObject;
  return json;
}

const ref = (name: ComponentName) => ({ $ref: `#/components/schemas/${name}` });
const json = (name: ComponentName) => ({ content: { 'application/json': { schema: ref(name) } } });
const binary = (mediaType: string) => ({
  content: { [mediaType]: { schema: { type: 'string', contentMediaType: mediaType } } },
});

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

function problems(statuses: readonly number[]): JsonObject {
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

const IF_MATCH = {
  required: { required: true, description: 'The version being corrected, as the ETag of the record says it (`"3"`).' },
  optional: { required: false, description: 'When sent, must name the current version.' },
} as const;
const LOCATION_HEADERS = {
  Location: { schema: { type: 'string' }, description: 'The permanent address of the record.' },
  ETag: { schema: { type: 'string' }, description: 'The current version, for If-Match.' },
};

function response(spec: ResponseSpec): JsonObject {
  const body =
    spec.body === undefined ? {} : typeof spec.body === 'string' ? json(spec.body) : binary(spec.body.binary);
  return { description: spec.description, ...(spec.location ? { headers: LOCATION_HEADERS } : {}), ...body };
}

function parameters(path: string, operation: OperationSpec): JsonObject[] {
  const inPath = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] ?? '');
  const params: JsonObject[] = inPath.map((name) => ({
    name,
    in: 'path',
    required: true,
    schema: { type: 'string' },
    description: operation.params?.[name] ?? name,
  }));
  if (operation.ifMatch) {
    params.push({ name: 'If-Match', in: 'header', schema: { type: 'string' }, ...IF_MATCH[operation.ifMatch] });
  }
  return params;
}

function requestBody(operation: OperationSpec): JsonObject | undefined {
  const request = operation.request;
  if (!request) return undefined;
  if ('binary' in request) return { required: true, ...binary(request.binary) };
  return {
    required: !request.optional,
    content: Object.fromEntries(request.mediaTypes.map((type) => [type, { schema: ref(request.component) }])),
  };
}

/** The OpenAPI operation of one route. */
export function operationOf(route: DocumentedRoute): JsonObject {
  const { operation } = route;
  const params = parameters(route.path, operation);
  const body = requestBody(operation);
  return {
    operationId: operation.operationId,
    tags: [operation.tag],
    summary: operation.summary,
    ...(operation.description ? { description: operation.description } : {}),
    ...(route.access === 'agency' ? { security: [{ agencyJwt: [] }] } : {}),
    ...(params.length > 0 ? { parameters: params } : {}),
    ...(body ? { requestBody: body } : {}),
    responses: {
      ...Object.fromEntries(Object.entries(operation.responses).map(([status, spec]) => [status, response(spec)])),
      ...problems(operation.problems),
    },
  };
}

/** The component schemas, requests as clients write them (`input`) and the rest as sent (`output`). */
function componentSchemas(routes: readonly DocumentedRoute[]): JsonObject {
  const inputs = new Set<ComponentName>();
  for (const route of routes) {
    const request = route.operation.request;
    if (request && 'component' in request) inputs.add(request.component);
  }
  return Object.fromEntries(
    (Object.keys(components) as ComponentName[]).map((name) => [
      name,
      component(components[name], inputs.has(name) ? 'input' : 'output'),
    ]),
  );
}

/** Builds the document (pure; the handler caches it). */
export function buildOpenApiDocument(routes: readonly DocumentedRoute[]): JsonObject {
  const paths: Record<string, Record<string, JsonObject>> = {};
  for (const route of routes) {
    paths[route.path] ??= {};
    (paths[route.path] as Record<string, JsonObject>)[route.method.toLowerCase()] = operationOf(route);
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
      schemas: componentSchemas(routes),
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
