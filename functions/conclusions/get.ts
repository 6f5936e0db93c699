import { getConclusion } from '../../shared/conclusions/service.js';
import { httpHandler } from '../lib/http.js';
import { type AgencyApiDependencies, agencyApiDependencies } from './dependencies.js';
import { conclusionIdParam } from './params.js';
import { conclusionResource, versionEtag } from './resource.js';

/** `GET /api/v1/conclusions/{id}`: anyone reads the current version and its whole history (oldest first); 404. */
export function createGetConclusionHandler(deps: () => AgencyApiDependencies) {
  return httpHandler({
    async handle(request) {
      const d = deps();
      const id = conclusionIdParam(request.params.id);
      const { record, versions } = await getConclusion(id, d);
      const agency = (await d.agencies.find(record.agencyId))?.agency;
      return {
        status: 200,
        headers: { etag: versionEtag(record.version) },
        body: conclusionResource(
          record,
          { id: record.agencyId, ...(agency ? { name: agency.name } : {}) },
          d.attachments,
          versions,
        ),
      };
    },
  });
}

export const handler = createGetConclusionHandler(agencyApiDependencies);
