import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { z } from 'zod';
import { UnauthorizedError, ValidationError } from '../../shared/errors.js';
import { type BodyOptions, cappedRawBody, type MediaType, parseBody } from './body.js';
import { logger } from './observability.js';
import { type Problem, toProblem } from './problem.js';
import { zodIssues } from './zod-issues.js';

/**
 * Every HTTP handler is built here, so the middleware order is defined once:
 * header normalizer → body size cap → the route's guard (`before`: where the request comes from, who signed it;
 * it sees the raw bytes, which a signature covers, never the parsed body) → body parsing (media type, UTF-8, NFC)
 * → schema validation → the handler → response mapping; errors of any step end in the one problem+json mapping
 * (`problem.ts`).
 */

/** What a route's guard sees: the request before its body is parsed. */
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

export interface HttpRequest<TBody, TGuard = undefined> {
  readonly body: TBody;
  readonly rawBody: Buffer;
  readonly mediaType: MediaType | undefined;
  /** Lower-cased header names. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly params: Readonly<Record<string, string | undefined>>;
  readonly query: Readonly<Record<string, string | undefined>>;
  readonly method: string;
  /** The path with its query string, as a signed request's `htu` claim names it. */
  readonly pathWithQuery: string;
  readonly sourceIp: string;
  readonly requestId: string;
  readonly event: APIGatewayProxyEventV2;
  /** What the route's guard returned (the authenticated publisher, …). */
  readonly guarded: TGuard;
}

export interface HttpResult {
  readonly status: number;
  /** Serialized as JSON unless `html` or `text` is given. */
  readonly body?: unknown;
  readonly html?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface HttpHandlerOptions<TSchema extends z.ZodType, TGuard = undefined> {
  /** Body parsing and validation; omit for routes without a body. */
  readonly body?: BodyOptions & {
    readonly schema: TSchema;
    /** Optional per-media-type schema (form posts carry strings that the JSON schema would refuse). */
    readonly formSchema?: z.ZodType<z.infer<TSchema>>;
  };
  /** Renders an error for a caller that wants HTML (a form post); return undefined for problem+json. */
  readonly renderError?: (problem: Problem, request: APIGatewayProxyEventV2) => HttpResult | undefined;
  /**
   * Runs before the body is parsed or validated, so a request that is not allowed at all (another site's form,
   * a bad signature) costs no parsing and learns nothing about the schema; throws to refuse.
   */
  readonly before?: (request: GuardRequest) => TGuard | Promise<TGuard>;
  readonly handle: (request: HttpRequest<z.infer<TSchema>, TGuard>, context: Context) => Promise<HttpResult>;
}

const API_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
} as const;

/** Builds a middy handler for an API Gateway v2 (HTTP API) route. */
export function httpHandler<TSchema extends z.ZodType = z.ZodUnknown, TGuard = undefined>(
  options: HttpHandlerOptions<TSchema, TGuard>,
) {
  return middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
    .use(httpHeaderNormalizer())
    .use(problemResponses(options.renderError))
    .handler(async function handleHttp(event, context) {
      const headers = event.headers ?? {};
      const method = event.requestContext.http.method;
      const pathWithQuery = event.rawQueryString ? `${event.rawPath}?${event.rawQueryString}` : event.rawPath;
      const guarded = options.before
        ? await options.before({
            rawBody: options.body
              ? cappedRawBody(event.body, event.isBase64Encoded, options.body.maxBytes)
              : Buffer.alloc(0),
            headers,
            method,
            pathWithQuery,
            event,
          })
        : (undefined as TGuard);
      let body: unknown;
      let raw: Buffer = Buffer.alloc(0);
      let mediaType: MediaType | undefined;
      if (options.body) {
        const parsed = parseBody(event.body, event.isBase64Encoded, headers['content-type'], options.body);
        raw = parsed.raw;
        mediaType = parsed.mediaType;
        const schema =
          parsed.mediaType === 'application/x-www-form-urlencoded' && options.body.formSchema
            ? options.body.formSchema
            : options.body.schema;
        const result = schema.safeParse(parsed.value);
        if (!result.success) throw new ValidationError(zodIssues(result.error));
        body = result.data;
      }
      const request: HttpRequest<z.infer<TSchema>, TGuard> = {
        body: body as z.infer<TSchema>,
        rawBody: raw,
        mediaType,
        headers,
        params: event.pathParameters ?? {},
        query: event.queryStringParameters ?? {},
        method,
        pathWithQuery,
        sourceIp: event.requestContext.http.sourceIp,
        requestId: event.requestContext.requestId,
        event,
        guarded,
      };
      return toApiResult(await options.handle(request, context));
    });
}

/** Maps a handler result to the API Gateway v2 structured result. */
export function toApiResult(result: HttpResult): APIGatewayProxyStructuredResultV2 {
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

/** The error middleware: last in line, it turns any failure into problem+json (or the route's HTML). */
function problemResponses(
  renderError: HttpHandlerOptions<z.ZodType, unknown>['renderError'],
): middy.MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> {
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
      const rendered = renderError?.(problem, request.event);
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
