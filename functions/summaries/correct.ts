import { SummaryCorrectionSchema } from '../../shared/summaries/schemas.js';
import { correctSummary } from '../../shared/summaries/service.js';
import { type AgencyApiDependencies, agencyApiDependenciesOf, authenticate } from '../lib/agency-api.js';
import type { FunctionConfig } from '../lib/config.js';
import { httpHandler } from '../lib/http.js';
import { routeBody } from '../lib/route-body.js';
import { summaryIdParam } from './params.js';
import { summaryHeaders, summaryResource } from './resource.js';

/**
 * `PUT /api/v1/summaries/{id}`: the publishing agency corrects a summary with its whole corrected content.
 * `If-Match` must name the current version (412 otherwise, 428 without it); 200 with the new version.
 */
export function createCorrectSummaryHandler(deps: () => AgencyApiDependencies, config: FunctionConfig = process.env) {
  return httpHandler({
    config,
    ...routeBody('summaries-correct', SummaryCorrectionSchema),
    // The signature covers the exact body bytes: verified before the body is parsed or schema-checked.
    before: (request) => authenticate(request, deps()),
    async handle(request) {
      const d = deps();
      const id = summaryIdParam(request.params.id);
      const publisher = request.guarded;
      const { record } = await correctSummary(id, request.headers['if-match'], request.body, publisher, d);
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
  createCorrectSummaryHandler(agencyApiDependenciesOf(config), config);

export const handler = createHandler(process.env);
