import { getSummary } from '../../shared/summaries/service.js';
import { type AgencyApiDependencies, agencyApiDependencies } from '../conclusions/dependencies.js';
import { versionEtag } from '../conclusions/resource.js';
import { httpHandler } from '../lib/http.js';
import { summaryIdParam } from './params.js';
import { summaryResource } from './resource.js';

/** `GET /api/v1/summaries/{id}`: anyone reads the current version and its whole history (oldest first); 404. */
export function createGetSummaryHandler(deps: () => AgencyApiDependencies) {
  return httpHandler({
    async handle(request) {
      const d = deps();
      const id = summaryIdParam(request.params.id);
      const { record, versions } = await getSummary(id, d);
      const agency = (await d.agencies.find(record.agencyId))?.agency;
      return {
        status: 200,
        headers: { etag: versionEtag(record.version) },
        body: summaryResource(record, { id: record.agencyId, ...(agency ? { name: agency.name } : {}) }, versions),
      };
    },
  });
}

export const handler = createGetSummaryHandler(agencyApiDependencies);
