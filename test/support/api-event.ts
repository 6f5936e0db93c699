import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';

/**
 * API Gateway v2 (HTTP API, payload 2.0) events and Lambda contexts for calling a handler in-process, shaped
 * as the local gateway (`local/gateway.ts`) and API Gateway build them: lower-cased headers, the body base64
 * encoded so its exact bytes (invalid UTF-8 included) reach the handler.
 */

/** An HTTP handler of functions/ as Lambda calls it with these events (every route of functions/routes.ts). */
export type ApiHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

export interface ApiEventInput {
  readonly method: string;
  /** The concrete path, with its query string if any (`/api/v1/conclusions/abc?x=1`). */
  readonly path: string;
  /** The route path with placeholders; defaults to the concrete path. */
  readonly routePath?: string;
  readonly params?: Record<string, string>;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
  readonly sourceIp?: string;
}

/** Builds the event API Gateway would send for this request. */
export function apiEvent(input: ApiEventInput): APIGatewayProxyEventV2 {
  const url = new URL(input.path, 'http://local');
  const headers: Record<string, string> = { host: 'localhost' };
  for (const [name, value] of Object.entries(input.headers ?? {})) headers[name.toLowerCase()] = value;
  const body =
    input.body === undefined ? undefined : Buffer.isBuffer(input.body) ? input.body : Buffer.from(input.body);
  if (body) headers['content-length'] = String(body.length);
  const query: Record<string, string> = {};
  for (const [key, value] of url.searchParams) query[key] = key in query ? `${query[key]},${value}` : value;
  const routeKey = `${input.method} ${input.routePath ?? url.pathname}`;
  const now = new Date();
  const sourceIp = input.sourceIp ?? '198.51.100.7';
  return {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ''),
    headers,
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    ...(input.params ? { pathParameters: input.params } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'test',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      http: { method: input.method, path: url.pathname, protocol: 'HTTP/1.1', sourceIp, userAgent: 'test' },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(body && body.length > 0
      ? { body: body.toString('base64'), isBase64Encoded: true }
      : { isBase64Encoded: false }),
  };
}

/** A Lambda context with a 29 s budget, as API Gateway's integration timeout allows. */
export function lambdaContext(functionName = 'test'): Context {
  const deadline = Date.now() + 29_000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'test',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
