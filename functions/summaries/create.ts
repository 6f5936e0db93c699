import { SummaryInputSchema } from '../../shared/summaries/schemas.js';
import { createSummary } from '../../shared/summaries/service.js';
import { type AgencyApiDependencies, agencyApiDependenciesOf, authenticate } from '../lib/agency-api.js';
import type { FunctionConfig } from '../lib/config.js';
import { httpHandler } from '../lib/http.js';
import { routeBody } from '../lib/route-body.js';
import { summaryHeaders, summaryResource } from './resource.js';

/**
 * `POST /api/v1/summaries`: an agency publishes a summary report. 201 with `Location` and `ETag`; 200 with the
 * stored record when the same content was already published; 409 for different content under the same document
 * number; 403 when `jurisdiction` is outside the agency's. Checks run in the order of conclusions.
 */
export function createCreateSummaryHandler(deps: () => AgencyApiDependencies, config: FunctionConfig = process.env) {
  return httpHandler({
    config,
    ...routeBody('summaries-create', SummaryInputSchema),
    // The signature covers the exact body bytes: verified before the body is parsed or schema-checked.
    before: (request) => authenticate(request, deps(), { earlyReplayCheck: false }),
    async handle(request) {
      const d = deps();
      const publisher = request.guarded;
      const { record, created } = await createSummary(request.body, publisher, d);
      return {
        status: created ? 201 : 200,
        headers: summaryHeaders(record),
        body: summaryResource(record, { id: publisher.agency.id, name: publisher.agency.name }),
      };
    },
  });
}

/** The handler over a configuration's ports (lib/config.ts): the local stack's, or the environment's in Lambda. */
export const createHandler = (config: FunctionConfig) =>
  createCreateSummaryHandler(agencyApiDependenciesOf(config), config);

export const handler = createHandler(process.env);
