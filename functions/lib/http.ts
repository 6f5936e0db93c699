import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { z } from 'zod';
import { ValidationError } from '../../shared/errors.js';
import { type BodyOptions, type MediaType, parseBody } from './body.js';
import { logger } from './observability.js';
import { type Problem, toProblem } from './problem.js';
import { zodIssues } from './zod-issues.js';

/**
 * Every HTTP handler is built here, so the middleware order is defined once:
 * header normalizer → body parsing (size cap, media type, UTF-8, NFC) → schema validation → the handler →
 * response mapping; errors of any step end in the one problem+json mapping (`problem.ts`).
 */

export interface HttpRequest<TBody> {
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
}

export interface HttpResult {
  readonly status: number;
  /** Serialized as JSON unless `html` or `text` is given. */
  readonly body?: unknown;
  readonly html?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface HttpHandlerOptions<TSchema extends z.ZodType> {
  /** Body parsing and validation; omit for routes without a body. */
  readonly body?: BodyOptions & {
    readonly schema: TSchema;
    /** Optional per-media-type schema (form posts carry strings that the JSON schema would refuse). */
    readonly formSchema?: z.ZodType<z.infer<TSchema>>;
  };
  /** Renders an error for a caller that wants HTML (a form post); return undefined for problem+json. */
  readonly renderError?: (problem: Problem, request: APIGatewayProxyEventV2) => HttpResult | undefined;
  readonly handle: (request: HttpRequest<z.infer<TSchema>>, context: Context) => Promise<HttpResult>;
}

const API_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
} as const;

/** Builds a middy handler for an API Gateway v2 (HTTP API) route. */
export function httpHandler<TSchema extends z.ZodType = z.ZodUnknown>(options: HttpHandlerOptions<TSchema>) {
  return middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
    .use(httpHeaderNormalizer())
    .use(problemResponses(options.renderError))
    .handler(async function handleHttp(event, context) {
      const headers = event.headers ?? {};
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
      const request: HttpRequest<z.infer<TSchema>> = {
        body: body as z.infer<TSchema>,
        rawBody: raw,
        mediaType,
        headers,
        params: event.pathParameters ?? {},
        query: event.queryStringParameters ?? {},
        method: event.requestContext.http.method,
        pathWithQuery: event.rawQueryString ? `${event.rawPath}?${event.rawQueryString}` : event.rawPath,
        sourceIp: event.requestContext.http.sourceIp,
        requestId: event.requestContext.requestId,
        event,
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
  renderError: HttpHandlerOptions<z.ZodType>['renderError'],
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
