import { SummaryRetractionSchema } from '../../shared/summaries/schemas.js';
import { retractSummary } from '../../shared/summaries/service.js';
import { type AgencyApiDependencies, agencyApiDependencies, authenticate } from '../conclusions/dependencies.js';
import { httpHandler } from '../lib/http.js';
import { retractionBody } from '../lib/retraction.js';
import { summaryIdParam } from './params.js';
import { summaryHeaders, summaryResource } from './resource.js';

/**
 * `POST /api/v1/summaries/{id}/retraction`: the publishing agency retracts a summary; 200 with the new version,
 * status `retracted`, content unchanged; it leaves the site at the next build. Body and If-Match optional; the
 * body is read first, as on every route with a body (400/413/415/422 before 404).
 */
export function createRetractSummaryHandler(deps: () => AgencyApiDependencies) {
  return httpHandler({
    async handle(request) {
      const d = deps();
      const { reason, raw } = retractionBody(request, SummaryRetractionSchema);
      const id = summaryIdParam(request.params.id);
      const publisher = await authenticate({ ...request, rawBody: raw }, d);
      const { record } = await retractSummary(id, request.headers['if-match'], reason, publisher, d);
      return {
        status: 200,
        headers: summaryHeaders(record),
        body: summaryResource(record, { id: publisher.agency.id, name: publisher.agency.name }),
      };
    },
  });
}

export const handler = createRetractSummaryHandler(agencyApiDependencies);
