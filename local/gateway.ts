import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse, STATUS_CODES } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { Duplex } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { createGzip } from 'node:zlib';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { findRoute, type RouteDefinition } from '../functions/routes.js';
import { localSecurityHeaders } from '../shared/http/security-headers.js';
import { buildingPage } from './building-page.js';
import type { BuildProgress } from './site-rebuilder.js';

/**
 * The local API Gateway: turns HTTP requests into API Gateway v2 (HTTP API, payload 2.0) events for the same
 * handler modules that run in Lambda, and serves the built site and the open-data files as CloudFront would.
 */

type LambdaHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

export interface GatewayOptions {
  readonly port: number;
  readonly host?: string;
  /** The built site; a function so a rebuild can swap the directory while serving. */
  readonly siteDir: () => string | undefined;
  /**
   * A directory holding `data/`: the open-data files, served under `/data/` ahead of the site's copy
   * (the export refreshes them before the site rebuild ends).
   */
  readonly dataRoot?: () => string | undefined;
  /**
   * While the site is not complete (first start): how far the build is. A page not there yet is answered with
   * a "being built" page (503) rather than a 404.
   */
  readonly building?: () => { readonly progress: BuildProgress | undefined } | undefined;
  readonly repoRoot: string;
  /** Largest request body read, as API Gateway's 10 MB limit. */
  readonly maxBodyBytes?: number;
}

const handlers = new Map<string, Promise<LambdaHandler>>();
const API_GATEWAY_MAX_BODY = 10 * 1024 * 1024;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.webmanifest': 'application/manifest+json',
  '.pdf': 'application/pdf',
  '.pf_meta': 'application/octet-stream',
  '.pagefind': 'application/octet-stream',
  '.wasm': 'application/wasm',
};
const COMPRESSIBLE = /^(text\/|application\/(json|xml|manifest)|image\/svg)/;

/** Loads (once) the handler module of a route, as Lambda would at cold start. */
function loadHandler(route: RouteDefinition, repoRoot: string): Promise<LambdaHandler> {
  let loaded = handlers.get(route.entry);
  if (!loaded) {
    const url = pathToFileURL(join(repoRoot, route.entry)).href;
    loaded = import(url).then((mod: { handler?: LambdaHandler }) => {
      if (typeof mod.handler !== 'function') throw new Error(`${route.entry} does not export a handler`);
      return mod.handler;
    });
    handlers.set(route.entry, loaded);
  }
  return loaded;
}

/** Starts the gateway; resolves once it listens, rejects with a clear message if the port is taken. */
export async function startGateway(options: GatewayOptions): Promise<Server> {
  const server = createServer((req, res) => {
    handleRequest(req, res, options).catch((error: unknown) => {
      console.error(`gateway: ${(error as Error).message}`);
      if (!res.headersSent) sendProblem(res, 500, 'Internal error', 'The local gateway failed.');
      else res.destroy();
    });
  });
  // Idle keep-alive sockets are closed by the client first (it reads the `timeout=65` hint), never by the server
  // while a client is sending on them: with 5 s, bursts of requests on a loaded machine met ECONNRESET.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.on('clientError', answerClientError);
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`port ${options.port} is already in use: stop the other server or set PORT`)
          : error,
      );
    });
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolveListen());
  });
  return server;
}

async function handleRequest(req: IncomingMessage, res: ServerResponse, options: GatewayOptions): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://local');
  if (url.pathname.startsWith('/api/')) {
    await handleApi(req, res, url, options);
    return;
  }
  await serveStatic(req, res, url, options);
}

async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL, options: GatewayOptions): Promise<void> {
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
  const handler = await loadHandler(match.route, options.repoRoot);
  const result = await handler(event, lambdaContext(match.route, event.requestContext.requestId));
  writeResult(res, result);
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

/**
 * Requests Node's HTTP parser refuses before any handler sees them (header injection, smuggling, oversized
 * heads) get a problem+json refusal like every other one, instead of Node's bare 400 (test/integration/bad-input).
 */
function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const title = STATUS_CODES[status] ?? 'Bad request';
  const body = JSON.stringify({
    type: `/api/v1/problems#gateway-${status}`,
    title,
    status,
    detail: 'The request is not valid HTTP.',
  });
  const head = [
    `HTTP/1.1 ${status} ${title}`,
    'content-type: application/problem+json',
    `content-length: ${Buffer.byteLength(body)}`,
  ];
  socket.end(`${[...head, 'cache-control: no-store', 'connection: close'].join('\r\n')}\r\n\r\n${body}`);
}

function sendProblem(res: ServerResponse, status: number, title: string, detail: string): void {
  const body = JSON.stringify({ type: `/api/v1/problems#gateway-${status}`, title, status, detail });
  res.writeHead(status, {
    ...localSecurityHeaders,
    'content-type': 'application/problem+json',
    'content-length': String(Buffer.byteLength(body)),
    'cache-control': 'no-store',
  });
  res.end(body);
}

/** Serves a file from the site (or data) directory, with directory indexes and the site's 404 page. */
async function serveStatic(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  options: GatewayOptions,
): Promise<void> {
  req.resume();
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { ...localSecurityHeaders, allow: 'GET, HEAD' });
    res.end();
    return;
  }
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    res.writeHead(400, localSecurityHeaders);
    res.end();
    return;
  }
  const siteDir = options.siteDir();
  const dataRoot = options.dataRoot?.();
  const roots: string[] = [];
  // The open data and the transparency log are written by the export, ahead of any site build.
  if (dataRoot && (pathname.startsWith('/data/') || pathname.startsWith('/log/'))) roots.push(resolve(dataRoot));
  if (siteDir) roots.push(siteDir);
  for (const root of roots) {
    const file = await findFile(root, pathname);
    if (file === 'redirect') {
      res.writeHead(301, { ...localSecurityHeaders, location: `${url.pathname}/${url.search}` });
      res.end();
      return;
    }
    if (file) {
      await sendFile(req, res, file, 200);
      return;
    }
  }
  const building = options.building?.();
  const notFound = siteDir && !building ? await findFile(siteDir, '/404.html') : undefined;
  if (notFound && notFound !== 'redirect') {
    await sendFile(req, res, notFound, 404);
    return;
  }
  if (siteDir && !building) {
    res.writeHead(404, { ...localSecurityHeaders, 'content-type': 'text/plain; charset=utf-8' });
    res.end('Not found');
    return;
  }
  const page = buildingPage(building?.progress);
  res.writeHead(503, {
    ...localSecurityHeaders,
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'retry-after': '5',
  });
  res.end(req.method === 'HEAD' ? undefined : page);
}

async function findFile(root: string, pathname: string): Promise<string | 'redirect' | undefined> {
  const target = normalize(join(root, pathname));
  if (target !== root && !target.startsWith(root.endsWith(sep) ? root : root + sep)) return undefined;
  try {
    const info = await stat(target);
    if (info.isFile()) return target;
    if (info.isDirectory()) {
      if (!pathname.endsWith('/')) return 'redirect';
      const index = join(target, 'index.html');
      const indexInfo = await stat(index).catch(() => undefined);
      return indexInfo?.isFile() ? index : undefined;
    }
  } catch {
    return undefined;
  }
  return undefined;
}

async function sendFile(req: IncomingMessage, res: ServerResponse, file: string, status: number): Promise<void> {
  const type = logContentType(file) ?? CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
  // Full log tiles and entry bundles (no `.p/<W>`) never change (c2sp tlog-tiles): cached for good.
  const isImmutable =
    /\/_astro\/|\/pagefind\//.test(file) || /\/log\/tile\/(?:\d+|entries)\/(?:x\d{3}\/)*\d{3}$/.test(file);
  const headers: Record<string, string> = {
    ...localSecurityHeaders,
    'content-type': type,
    'cache-control': isImmutable ? 'public, max-age=31536000, immutable' : 'no-cache',
  };
  const gzip = COMPRESSIBLE.test(type) && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  if (gzip) {
    headers['content-encoding'] = 'gzip';
    headers.vary = 'accept-encoding';
  } else {
    headers['content-length'] = String((await stat(file)).size);
  }
  res.writeHead(status, headers);
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const stream = createReadStream(file);
  await new Promise<void>((resolveSend, reject) => {
    const out = gzip ? stream.pipe(createGzip()) : stream;
    out.on('error', reject);
    res.on('finish', () => resolveSend());
    res.on('close', () => resolveSend());
    out.pipe(res);
  });
}

/** The checkpoint, the verifier key and the proofs are text (c2sp tlog-tiles); tiles are octets (the default). */
function logContentType(file: string): string | undefined {
  return /\/log\/(?:checkpoint|key)$|\.tlog-proof$/.test(file) ? 'text/plain; charset=utf-8' : undefined;
}
