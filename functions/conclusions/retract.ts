import { ConclusionRetractionSchema } from '../../shared/conclusions/schemas.js';
import { retractConclusion } from '../../shared/conclusions/service.js';
import { authenticate } from '../lib/agency-api.js';
import type { FunctionConfig } from '../lib/config.js';
import { httpHandler } from '../lib/http.js';
import { routeBody } from '../lib/route-body.js';
import { type ConclusionApiDependencies, conclusionApiDependenciesOf } from './dependencies.js';
import { conclusionIdParam } from './params.js';
import { conclusionHeaders, conclusionResource } from './resource.js';

/**
 * `POST /api/v1/conclusions/{id}/retraction`: the publishing agency retracts a conclusion; 200 with the new
 * version, status `retracted`, content unchanged. The body `{ "reason": "…" }` is optional (an empty body is
 * a retraction without a stated reason); `If-Match` is optional and, when sent, must name the current version.
 */
export function createRetractConclusionHandler(
  deps: () => ConclusionApiDependencies,
  config: FunctionConfig = process.env,
) {
  return httpHandler({
    config,
    ...routeBody('conclusions-retract', ConclusionRetractionSchema),
    // The signature covers the exact body bytes: verified before the body is parsed or schema-checked.
    before: (request) => authenticate(request, deps()),
    async handle(request) {
      const d = deps();
      const id = conclusionIdParam(request.params.id);
      const publisher = request.guarded;
      const { record } = await retractConclusion(id, request.headers['if-match'], request.body?.reason, publisher, d);
      return {
        status: 200,
        headers: conclusionHeaders(record),
        body: conclusionResource(record, { id: publisher.agency.id, name: publisher.agency.name }, d.attachments),
      };
    },
  });
}

/** The handler over a configuration's ports (lib/config.ts): the local stack's, or the environment's in Lambda. */
export const createHandler = (config: FunctionConfig) =>
  createRetractConclusionHandler(conclusionApiDependenciesOf(config), config);

export const handler = createHandler(process.env);
