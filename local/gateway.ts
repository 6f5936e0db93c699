import { createServer, type IncomingMessage, type Server, type ServerResponse, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FunctionConfig } from '../functions/lib/config.js';
import { createApiGateway, sendProblem } from './api-gateway.js';
import { type StaticSiteOptions, serveStatic } from './static-site.js';

/**
 * The local gateway: one server on one origin, as CloudFront is in AWS: `/api/` goes to the API emulator
 * (api-gateway.ts, the same handler modules that run in Lambda) and everything else to the built site and the
 * open-data files (static-site.ts).
 */

export interface GatewayOptions extends StaticSiteOptions {
  readonly port: number;
  readonly host?: string;
  readonly repoRoot: string;
  /** The handlers' configuration; by default `process.env` (tests that set it up there). */
  readonly config?: FunctionConfig;
  /** Largest request body read, as API Gateway's 10 MB limit. */
  readonly maxBodyBytes?: number;
}

/** Starts the gateway; resolves once it listens, rejects with a clear message if the port is taken. */
export async function startGateway(options: GatewayOptions): Promise<Server> {
  const api = createApiGateway({
    repoRoot: options.repoRoot,
    config: options.config ?? process.env,
    ...(options.maxBodyBytes !== undefined ? { maxBodyBytes: options.maxBodyBytes } : {}),
  });
  // Async, so that whatever throws (even parsing the request target) ends in the one 500 below.
  const handleRequest = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://local');
    if (url.pathname.startsWith('/api/')) await api(req, res, url);
    else await serveStatic(req, res, url, options);
  };
  const server = createServer((req, res) => {
    handleRequest(req, res).catch((error: unknown) => {
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
