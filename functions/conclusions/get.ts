import { getConclusion } from '../../shared/conclusions/service.js';
import { versionEtag } from '../../shared/publishing/if-match.js';
import type { FunctionConfig } from '../lib/config.js';
import { httpHandler } from '../lib/http.js';
import { type ConclusionApiDependencies, conclusionApiDependenciesOf } from './dependencies.js';
import { conclusionIdParam } from './params.js';
import { conclusionResource } from './resource.js';

/** `GET /api/v1/conclusions/{id}`: anyone reads the current version and its whole history (oldest first); 404. */
export function createGetConclusionHandler(
  deps: () => ConclusionApiDependencies,
  config: FunctionConfig = process.env,
) {
  return httpHandler({
    config,
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

/** The handler over a configuration's ports (lib/config.ts): the local stack's, or the environment's in Lambda. */
export const createHandler = (config: FunctionConfig) =>
  createGetConclusionHandler(conclusionApiDependenciesOf(config), config);

export const handler = createHandler(process.env);
