import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { FunctionConfig } from '../functions/lib/config.js';
import { findRoute, type RouteDefinition } from '../functions/routes.js';
import { localSecurityHeaders } from '../shared/http/security-headers.js';

/**
 * The API half of the local gateway, as API Gateway's HTTP API: finds the route (functions/routes.ts), turns the
 * request into a v2 (payload 2.0) event and invokes the route's handler module, built once from the gateway's
 * configuration with the module's `createHandler(config)` (functions/lib/config.ts), as Lambda builds it once per
 * cold start from its environment. The static half is static-site.ts; gateway.ts puts them on one server.
 */

type LambdaHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

export interface ApiGatewayOptions {
  readonly repoRoot: string;
  /** The handlers' configuration (tables, endpoint, secrets): the local stack's own object. */
  readonly config: FunctionConfig;
  /** Largest request body read, as API Gateway's 10 MB limit. */
  readonly maxBodyBytes?: number;
}

/** Answers an `/api/` request. */
export type ApiGateway = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;

const API_GATEWAY_MAX_BODY = 10 * 1024 * 1024;

/** The API emulator over one configuration; each route's handler is built on its first request and kept. */
export function createApiGateway(options: ApiGatewayOptions): ApiGateway {
  const handlers = new Map<string, Promise<LambdaHandler>>();
  const loadHandler = (route: RouteDefinition): Promise<LambdaHandler> => {
    let loaded = handlers.get(route.entry);
    if (!loaded) {
      const url = pathToFileURL(join(options.repoRoot, route.entry)).href;
      loaded = import(url).then((mod: { createHandler?: (config: FunctionConfig) => LambdaHandler }) => {
        if (typeof mod.createHandler !== 'function') throw new Error(`${route.entry} does not export createHandler`);
        return mod.createHandler(options.config);
      });
      handlers.set(route.entry, loaded);
    }
    return loaded;
  };

  return async function handleApi(req, res, url) {
    const method = (req.method ?? 'GET').toUpperCase();
    const { match, allowed } = findRoute(method, url.pathname);
    if (!match) {
      req.resume();
      if (allowed.length > 0) sendProblem(res, 405, 'Method not allowed', `Use ${allowed.join(', ')}.`);
      else sendProblem(res, 404, 'Not found', 'No such API route.');
      return;
    }

    const body = await readBody(req, options.maxBodyBytes ?? API_GATEWAY_MAX_BODY);
    if (body === 'too-large') {
      sendProblem(res, 413, 'Payload too large', 'The request body exceeds the gateway limit.');
      return;
    }
    const event = toEvent(req, url, match.route, match.params, body);
    const handler = await loadHandler(match.route);
    const result = await handler(event, lambdaContext(match.route, event.requestContext.requestId));
    writeResult(res, result);
  };
}

/** Reads the whole body up to a limit; the bytes are kept exact (signatures cover them). */
async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) {
    req.resume();
    return 'too-large';
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      req.resume();
      return 'too-large';
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Builds the API Gateway v2 event as the HTTP API would (headers lower-cased, body base64 for exact bytes). */
export function toEvent(
  req: IncomingMessage,
  url: URL,
  route: RouteDefinition,
  params: Record<string, string>,
  body: Buffer,
): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    if (name === 'cookie') cookies.push(...String(value).split(/;\s*/));
    else headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const query: Record<string, string> = {};
  for (const [key, value] of url.searchParams) query[key] = key in query ? `${query[key]},${value}` : value;
  const now = new Date();
  const requestId = randomUUID();
  const sourceIp = (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
  return {
    version: '2.0',
    routeKey: `${route.method} ${route.path}`,
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ''),
    ...(cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    ...(Object.keys(params).length > 0 ? { pathParameters: params } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? '127.0.0.1',
      domainPrefix: 'local',
      http: {
        method: route.method,
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId,
      routeKey: `${route.method} ${route.path}`,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(body.length > 0 ? { body: body.toString('base64'), isBase64Encoded: true } : { isBase64Encoded: false }),
  };
}

function lambdaContext(route: RouteDefinition, requestId: string): Context {
  const deadline = Date.now() + 29_000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: route.name,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${route.name}`,
    memoryLimitInMB: '512',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${route.name}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

function writeResult(res: ServerResponse, result: APIGatewayProxyStructuredResultV2): void {
  const headers: Record<string, string | string[]> = { ...localSecurityHeaders };
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name.toLowerCase()] = String(value);
  if (result.cookies?.length) headers['set-cookie'] = result.cookies;
  const body =
    result.body === undefined ? undefined : Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8');
  if (body) headers['content-length'] = String(body.length);
  res.writeHead(result.statusCode ?? 200, headers);
  res.end(body);
}

/** A problem+json answer of the gateway itself (no route, too large, a failure of the gateway). */
export function sendProblem(res: ServerResponse, status: number, title: string, detail: string): void {
  const body = JSON.stringify({ type: `/api/v1/problems#gateway-${status}`, title, status, detail });
  res.writeHead(status, {
    ...localSecurityHeaders,
    'content-type': 'application/problem+json',
    'content-length': String(Buffer.byteLength(body)),
    'cache-control': 'no-store',
  });
  res.end(body);
}
