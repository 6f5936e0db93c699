import { buildOpenApiDocument } from '../../shared/openapi/document.js';
import type { FunctionConfig } from '../lib/config.js';
import { httpHandler } from '../lib/http.js';
import { routes } from '../routes.js';

let document: Record<string, unknown> | undefined;

/** `GET /api/v1/openapi.json`: the OpenAPI 3.1 document, built once per process from the zod schemas. */
export const createHandler = (config: FunctionConfig) =>
  httpHandler({
    config,
    async handle() {
      document ??= buildOpenApiDocument(routes);
      return { status: 200, body: document, headers: { 'cache-control': 'public, max-age=300' } };
    },
  });

export const handler = createHandler(process.env);
