import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type * as z from '../../shared/zod.js';
import type { BodyOptions, MediaType } from './body.js';
import { type FunctionConfig, perConfig } from './config.js';
import {
  type BodySpec,
  bodyBytes,
  bodyParser,
  correlationId,
  type ErrorRenderer,
  type GuardRequest,
  guard,
  type HttpEvent,
  type HttpResult,
  originCheck,
  pathWithQueryOf,
  problemResponses,
  toApiResult,
  validator,
} from './middlewares.js';
import { logger } from './observability.js';
import { clientAddressOf, type OriginValuesSource, originValuesFromEnv } from './origin-verify.js';

export type { GuardRequest, HttpEvent, HttpResult } from './middlewares.js';
export { toApiResult };

/**
 * Every HTTP handler is built here, so the middleware order is defined once (`middlewares.ts` holds each step):
 * Powertools' Lambda context and the correlation id on every log line → header normalizer → the origin check (a
 * request that did not come through CloudFront: 403, origin-verify.ts) → body bytes (size cap;
 * a binary body's media type) → the route's guard (where the request comes from, who signed it: it sees the raw
 * bytes, which a signature covers, never the parsed body) → body parsing (media type, UTF-8, NFC) → schema
 * validation → the handler → response mapping. Errors of any step end in the one problem+json mapping
 * (`problem.ts`), whose middleware is registered first so it runs last and sees what the others left.
 */

/** What the handler reads: the validated input and the request around it. */
export interface HttpRequest<TBody, TGuard = undefined> {
  readonly body: TBody;
  /** The exact body bytes (a binary body is only this). */
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
  /**
   * The client's address: the viewer address CloudFront put in `CLIENT_ADDRESS_HEADER` when the request came
   * through CloudFront (origin header verified), else the connection's source IP. Never a header anyone could set.
   */
  readonly clientAddress: string;
  readonly requestId: string;
  readonly event: HttpEvent;
  /** What the route's guard returned (the authenticated publisher, …). */
  readonly guarded: TGuard;
}

/** A parsed body: JSON or form, validated by `schema` (a form post by `formSchema` when given). */
export interface ParsedBodyOptions<TSchema extends z.core.$ZodType> extends BodyOptions {
  readonly schema: TSchema;
  /** Optional per-media-type schema (form posts carry strings that the JSON schema would refuse). */
  readonly formSchema?: z.core.$ZodType<z.infer<TSchema>>;
  /**
   * An empty body is allowed and reaches the schema as `undefined` (a retraction without a stated reason): give a
   * schema that accepts it (`.optional()`).
   */
  readonly emptyAllowed?: boolean;
}

export interface HttpHandlerOptions<TSchema extends z.core.$ZodType, TGuard = undefined> {
  /** Body parsing and validation; omit for routes without a body. */
  readonly body?: ParsedBodyOptions<TSchema>;
  /** An opaque body of one media type (a PDF): capped and type-checked, never parsed; read `rawBody`. */
  readonly binaryBody?: { readonly maxBytes: number; readonly mediaType: string };
  /** Renders an error for a caller that wants HTML (a form post); return undefined for problem+json. */
  readonly renderError?: ErrorRenderer;
  /**
   * Runs before the body is parsed or validated, so a request that is not allowed at all (another site's form,
   * a bad signature) costs no parsing and learns nothing about the schema; throws to refuse.
   */
  readonly before?: (request: GuardRequest) => TGuard | Promise<TGuard>;
  readonly handle: (request: HttpRequest<z.infer<TSchema>, TGuard>, context: Context) => Promise<HttpResult>;
  /**
   * Where the accepted origin values come from (tests pass their own); by default the configuration's, read on the
   * first request (origin-verify.ts: Secrets Manager in AWS, nothing locally).
   */
  readonly origin?: () => OriginValuesSource | undefined;
  /** The function's configuration (origin check, client address header); by default `process.env`, as in Lambda. */
  readonly config?: FunctionConfig;
}

/** The configuration's origin check, built once per configuration (its cache is shared by every request). */
const configuredOrigin = perConfig((config) => ({ values: originValuesFromEnv(config) }));

function bodySpecOf(options: HttpHandlerOptions<z.core.$ZodType, unknown>): BodySpec | undefined {
  if (options.binaryBody) return { kind: 'binary', ...options.binaryBody };
  if (options.body) {
    const { maxBytes, mediaTypes, emptyAllowed } = options.body;
    return { kind: 'parsed', maxBytes, mediaTypes, emptyAllowed: emptyAllowed ?? false };
  }
  return undefined;
}

/** Builds a middy handler for an API Gateway v2 (HTTP API) route. */
export function httpHandler<TSchema extends z.core.$ZodType = z.ZodMiniUnknown, TGuard = undefined>(
  options: HttpHandlerOptions<TSchema, TGuard>,
) {
  const spec = bodySpecOf(options as HttpHandlerOptions<z.core.$ZodType, unknown>);
  const config = options.config ?? process.env;
  const chain = middy<HttpEvent, APIGatewayProxyStructuredResultV2>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(problemResponses(options.renderError))
    .use(correlationId())
    .use(httpHeaderNormalizer())
    // First real step: a request that went around CloudFront is refused before its body is even read.
    .use(originCheck(options.origin ?? (() => configuredOrigin(config).values)))
    .use(bodyBytes(spec));
  if (options.before) chain.use(guard(options.before));
  if (options.body && spec?.kind === 'parsed') {
    chain.use(bodyParser(spec)).use(validator(options.body.schema, options.body.formSchema));
  }
  return chain.handler(async function handleHttp(event: HttpEvent, context: Context) {
    const state = event.http ?? {};
    const request: HttpRequest<z.infer<TSchema>, TGuard> = {
      body: state.input as z.infer<TSchema>,
      rawBody: state.rawBody ?? Buffer.alloc(0),
      mediaType: state.parsed?.mediaType,
      headers: event.headers ?? {},
      params: event.pathParameters ?? {},
      query: event.queryStringParameters ?? {},
      method: event.requestContext.http.method,
      pathWithQuery: pathWithQueryOf(event),
      sourceIp: event.requestContext.http.sourceIp,
      clientAddress: clientAddressOf(
        event.headers ?? {},
        event.requestContext.http.sourceIp,
        state.throughOrigin === true,
        config.CLIENT_ADDRESS_HEADER,
      ),
      requestId: event.requestContext.requestId,
      event,
      guarded: state.guarded as TGuard,
    };
    return toApiResult(await options.handle(request, context));
  }) as middy.MiddyfiedHandler<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>;
}
