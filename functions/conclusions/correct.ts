import { ConclusionCorrectionSchema } from '../../shared/conclusions/schemas.js';
import { correctConclusion } from '../../shared/conclusions/service.js';
import { authenticate } from '../lib/agency-api.js';
import type { FunctionConfig } from '../lib/config.js';
import { httpHandler } from '../lib/http.js';
import { routeBody } from '../lib/route-body.js';
import { type ConclusionApiDependencies, conclusionApiDependenciesOf } from './dependencies.js';
import { conclusionIdParam } from './params.js';
import { conclusionHeaders, conclusionResource } from './resource.js';

/**
 * `PUT /api/v1/conclusions/{id}`: the publishing agency corrects a conclusion with its whole corrected content.
 * `If-Match` must name the current version (412 otherwise, 428 without it); 200 with the new version.
 */
export function createCorrectConclusionHandler(
  deps: () => ConclusionApiDependencies,
  config: FunctionConfig = process.env,
) {
  return httpHandler({
    config,
    ...routeBody('conclusions-correct', ConclusionCorrectionSchema),
    // The signature covers the exact body bytes: verified before the body is parsed or schema-checked.
    before: (request) => authenticate(request, deps()),
    async handle(request) {
      const d = deps();
      const id = conclusionIdParam(request.params.id);
      const publisher = request.guarded;
      const { record } = await correctConclusion(id, request.headers['if-match'], request.body, publisher, d);
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
  createCorrectConclusionHandler(conclusionApiDependenciesOf(config), config);

export const handler = createHandler(process.env);
