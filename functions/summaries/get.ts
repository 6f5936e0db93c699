import { versionEtag } from '../../shared/publishing/if-match.js';
import { getSummary } from '../../shared/summaries/service.js';
import { type AgencyApiDependencies, agencyApiDependenciesOf } from '../lib/agency-api.js';
import type { FunctionConfig } from '../lib/config.js';
import { httpHandler } from '../lib/http.js';
import { summaryIdParam } from './params.js';
import { summaryResource } from './resource.js';

/** `GET /api/v1/summaries/{id}`: anyone reads the current version and its whole history (oldest first); 404. */
export function createGetSummaryHandler(deps: () => AgencyApiDependencies, config: FunctionConfig = process.env) {
  return httpHandler({
    config,
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

/** The handler over a configuration's ports (lib/config.ts): the local stack's, or the environment's in Lambda. */
export const createHandler = (config: FunctionConfig) =>
  createGetSummaryHandler(agencyApiDependenciesOf(config), config);

export const handler = createHandler(process.env);
