import type middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { UnauthorizedError, UnsupportedMediaTypeError, ValidationError } from '../../shared/errors.js';
import * as z from '../../shared/zod.js';
import { type BodyOptions, cappedRawBody, mediaTypeOf, type ParsedBody, parseBody } from './body.js';
import { logger } from './observability.js';
import { assertThroughOrigin, OriginNotVerifiedError, type OriginValuesSource } from './origin-verify.js';
import { type Problem, toProblem } from './problem.js';
import { zodIssues } from './zod-issues.js';

/**
 * The middlewares of the HTTP shell (`http.ts` puts them in order). Each does one thing and leaves its result on
 * `event.http`, so the later ones, the handler and the error handler read it instead of reading the raw event again
 * (the error page of a form post shows the values the parser already produced: nothing is parsed twice).
 */

/** What the middlewares leave on the request, in the order they run. */
export interface HttpState {
  /** The request came through CloudFront (its origin header checked); false when no check is configured. */
  throughOrigin?: boolean;
  /** The exact body bytes, size-capped: what a signature's body hash covers. */
  rawBody?: Buffer;
  /** What the route's guard returned (the authenticated publisher, …). */
  guarded?: unknown;
  /** The body parsed for its media type and NFC-normalized (undefined for an empty optional body). */
  parsed?: ParsedBody;
  /** The parsed body once the route's schema accepted it. */
  input?: unknown;
}

/** The API Gateway v2 event as the shell's middlewares leave it. */
export type HttpEvent = APIGatewayProxyEventV2 & { http?: HttpState };

type HttpMiddleware = middy.MiddlewareObj<HttpEvent, APIGatewayProxyStructuredResultV2>;
type HttpMiddyRequest = middy.Request<HttpEvent, APIGatewayProxyStructuredResultV2>;

const API_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
} as const;

/** A route's body: parsed and validated (JSON or form), or opaque bytes of one media type (a PDF). */
export type BodySpec =
  | (BodyOptions & { readonly kind: 'parsed'; readonly emptyAllowed: boolean })
  | { readonly kind: 'binary'; readonly maxBytes: number; readonly mediaType: string };

function stateOf(request: HttpMiddyRequest): HttpState {
  request.event.http ??= {};
  return request.event.http;
}

/** Tags every log line of the invocation with the request id (Powertools' Lambda context does the rest). */
export function correlationId(): HttpMiddleware {
  return {
    before: function correlationIdBefore(request) {
      logger.setCorrelationId(request.event.requestContext?.requestId);
    },
  };
}

/**
 * Refuses (403) a request that did not come through CloudFront, before anything else is read (origin-verify.ts);
 * without a configured check (no CloudFront in front, locally) it lets every request through, marked as such.
 */
export function originCheck(source: () => OriginValuesSource | undefined): HttpMiddleware {
  return {
    before: async function originCheckBefore(request) {
      const values = source();
      const state = stateOf(request);
      state.throughOrigin = false;
      if (!values) return;
      await assertThroughOrigin(request.event.headers ?? {}, values);
      state.throughOrigin = true;
    },
  };
}

/** Reads the body bytes, refusing (413) more than the route accepts and, for a binary body, another type (415). */
export function bodyBytes(spec: BodySpec | undefined): HttpMiddleware {
  return {
    before: function bodyBytesBefore(request) {
      const { event } = request;
      const state = stateOf(request);
      if (!spec) {
        state.rawBody = Buffer.alloc(0);
        return;
      }
      state.rawBody = cappedRawBody(event.body, event.isBase64Encoded, spec.maxBytes);
      if (spec.kind === 'binary' && mediaTypeOf(event.headers?.['content-type'])?.type !== spec.mediaType) {
        throw new UnsupportedMediaTypeError(`Send the file as ${spec.mediaType}.`);
      }
    },
  };
}

/** The request a route's guard sees: before its body is parsed. */
export interface GuardRequest {
  /** The exact body bytes (size-capped), as a signature's body hash covers them. */
  readonly rawBody: Buffer;
  /** Lower-cased header names. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly method: string;
  /** The path with its query string, as a signed request's `htu` claim names it. */
  readonly pathWithQuery: string;
  readonly event: APIGatewayProxyEventV2;
}

/** The path with its query string, as a signed request's `htu` claim names it. */
export function pathWithQueryOf(event: APIGatewayProxyEventV2): string {
  return event.rawQueryString ? `${event.rawPath}?${event.rawQueryString}` : event.rawPath;
}

/**
 * Runs the route's guard before the body is parsed, so a request that is not allowed at all (another site's form,
 * a bad signature) costs no parsing and learns nothing about the schema; the guard throws to refuse.
 */
export function guard(check: (request: GuardRequest) => unknown): HttpMiddleware {
  return {
    before: async function guardBefore(request) {
      const { event } = request;
      const state = stateOf(request);
      state.guarded = await check({
        rawBody: state.rawBody ?? Buffer.alloc(0),
        headers: event.headers ?? {},
        method: event.requestContext.http.method,
        pathWithQuery: pathWithQueryOf(event),
        event,
      });
    },
  };
}

/** Parses the body for its media type (UTF-8, NFC, no duplicate keys); an allowed empty body parses to nothing. */
export function bodyParser(spec: BodySpec & { kind: 'parsed' }): HttpMiddleware {
  return {
    before: function bodyParserBefore(request) {
      const { event } = request;
      const state = stateOf(request);
      if (spec.emptyAllowed && (state.rawBody?.length ?? 0) === 0) return;
      state.parsed = parseBody(event.body, event.isBase64Encoded, event.headers?.['content-type'], spec);
    },
  };
}

/** Validates the parsed body with the route's schema (a form post may have its own: its values are strings). */
export function validator(schema: z.core.$ZodType, formSchema?: z.core.$ZodType): HttpMiddleware {
  return {
    before: function validatorBefore(request) {
      const state = stateOf(request);
      const chosen =
        state.parsed?.mediaType === 'application/x-www-form-urlencoded' && formSchema ? formSchema : schema;
      const result = z.safeParse(chosen, state.parsed?.value);
      if (!result.success) throw new ValidationError(zodIssues(result.error));
      state.input = result.data;
    },
  };
}

/** A handler's answer, before it becomes the API Gateway v2 result. */
export interface HttpResult {
  readonly status: number;
  /** Serialized as JSON unless `html` or `bytes` is given. */
  readonly body?: unknown;
  readonly html?: string;
  /** A binary body (base64 on the wire); give its content type in `headers`. */
  readonly bytes?: Uint8Array;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Maps a handler result to the API Gateway v2 structured result. */
export function toApiResult(result: HttpResult): APIGatewayProxyStructuredResultV2 {
  if (result.bytes !== undefined) {
    return {
      statusCode: result.status,
      headers: { ...API_HEADERS, ...result.headers },
      body: Buffer.from(result.bytes).toString('base64'),
      isBase64Encoded: true,
    };
  }
  if (result.html !== undefined) {
    return {
      statusCode: result.status,
      headers: { ...API_HEADERS, 'content-type': 'text/html; charset=utf-8', ...result.headers },
      body: result.html,
    };
  }
  return {
    statusCode: result.status,
    headers: {
      ...API_HEADERS,
      ...(result.body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' }),
      ...result.headers,
    },
    ...(result.body === undefined ? {} : { body: JSON.stringify(result.body) }),
  };
}

/** Renders an error for a caller that wants HTML (a form post): it sees what the middlewares had parsed. */
export type ErrorRenderer = (problem: Problem, event: HttpEvent) => HttpResult | undefined;

/** The error middleware: last in line, it turns any failure into problem+json (or the route's HTML). */
export function problemResponses(renderError?: ErrorRenderer): HttpMiddleware {
  return {
    onError: function problemOnError(request) {
      const correlationId = request.context?.awsRequestId ?? request.event.requestContext?.requestId;
      const { problem, headers, internal } = toProblem(request.error, {
        instance: request.event.rawPath,
        correlationId,
      });
      if (internal) {
        logger.error('unhandled error', { correlationId, error: request.error as Error });
      }
      // The caller got the generic 401; the operator needs to know which check failed.
      if (request.error instanceof UnauthorizedError) {
        logger.warn('authentication refused', { correlationId, reason: request.error.reason });
      }
      // A request that went around CloudFront is nobody's form post on the site: it gets problem+json, never a page.
      const rendered =
        request.error instanceof OriginNotVerifiedError ? undefined : renderError?.(problem, request.event);
      if (rendered) {
        request.response = toApiResult({ ...rendered, headers: { ...headers, ...rendered.headers } });
        return;
      }
      request.response = {
        statusCode: problem.status,
        headers: { ...API_HEADERS, 'content-type': 'application/problem+json', ...headers },
        body: JSON.stringify(problem),
      };
    },
  };
}
