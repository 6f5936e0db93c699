import { ConclusionInputSchema } from '../../shared/conclusions/schemas.js';
import { createConclusion } from '../../shared/conclusions/service.js';
import { authenticate } from '../lib/agency-api.js';
import type { FunctionConfig } from '../lib/config.js';
import { httpHandler } from '../lib/http.js';
import { routeBody } from '../lib/route-body.js';
import { type ConclusionApiDependencies, conclusionApiDependenciesOf } from './dependencies.js';
import { conclusionHeaders, conclusionResource } from './resource.js';

/**
 * `POST /api/v1/conclusions`: an agency publishes a conclusion. 201 with `Location` and `ETag` for a new one;
 * 200 with the stored record when the same content was already published (a retry); 409 for different content
 * under the same document number. Body cap first (413), then the signature over the raw bytes (401), then media
 * type and schema (400/415/422), then the units and jurisdiction (422/403), then the one conditional write.
 */
export function createCreateConclusionHandler(
  deps: () => ConclusionApiDependencies,
  config: FunctionConfig = process.env,
) {
  return httpHandler({
    config,
    ...routeBody('conclusions-create', ConclusionInputSchema),
    // The signature covers the exact body bytes: verified before the body is parsed or schema-checked.
    before: (request) => authenticate(request, deps(), { earlyReplayCheck: false }),
    async handle(request) {
      const d = deps();
      const publisher = request.guarded;
      const { record, created } = await createConclusion(request.body, publisher, d);
      return {
        status: created ? 201 : 200,
        headers: conclusionHeaders(record),
        body: conclusionResource(record, { id: publisher.agency.id, name: publisher.agency.name }, d.attachments),
      };
    },
  });
}

/** The handler over a configuration's ports (lib/config.ts): the local stack's, or the environment's in Lambda. */
export const createHandler = (config: FunctionConfig) =>
  createCreateConclusionHandler(conclusionApiDependenciesOf(config), config);

export const handler = createHandler(process.env);
