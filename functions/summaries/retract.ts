import { SummaryRetractionSchema } from '../../shared/summaries/schemas.js';
import { retractSummary } from '../../shared/summaries/service.js';
import { type AgencyApiDependencies, agencyApiDependenciesOf, authenticate } from '../lib/agency-api.js';
import type { FunctionConfig } from '../lib/config.js';
import { httpHandler } from '../lib/http.js';
import { routeBody } from '../lib/route-body.js';
import { summaryIdParam } from './params.js';
import { summaryHeaders, summaryResource } from './resource.js';

/**
 * `POST /api/v1/summaries/{id}/retraction`: the publishing agency retracts a summary; 200 with the new version,
 * status `retracted`, content unchanged; it leaves the site at the next build. Body and If-Match optional.
 */
export function createRetractSummaryHandler(deps: () => AgencyApiDependencies, config: FunctionConfig = process.env) {
  return httpHandler({
    config,
    ...routeBody('summaries-retract', SummaryRetractionSchema),
    // The signature covers the exact body bytes: verified before the body is parsed or schema-checked.
    before: (request) => authenticate(request, deps()),
    async handle(request) {
      const d = deps();
      const id = summaryIdParam(request.params.id);
      const publisher = request.guarded;
      const { record } = await retractSummary(id, request.headers['if-match'], request.body?.reason, publisher, d);
      return {
        status: 200,
        headers: summaryHeaders(record),
        body: summaryResource(record, { id: publisher.agency.id, name: publisher.agency.name }),
      };
    },
  });
}

/** The handler over a configuration's ports (lib/config.ts): the local stack's, or the environment's in Lambda. */
export const createHandler = (config: FunctionConfig) =>
  createRetractSummaryHandler(agencyApiDependenciesOf(config), config);

export const handler = createHandler(process.env);
