import { versionEtag } from '../../shared/publishing/if-match.js';
import { getReport } from '../../shared/reports/service.js';
import { type AgencyApiDependencies, agencyApiDependenciesOf } from '../lib/agency-api.js';
import type { FunctionConfig } from '../lib/config.js';
import { httpHandler } from '../lib/http.js';
import { reportResource } from './resource.js';

/** `GET /api/v1/reports/{id}`: anyone reads a report; 404. */
export function createGetReportHandler(deps: () => AgencyApiDependencies, config: FunctionConfig = process.env) {
  return httpHandler({
    config,
    async handle(request) {
      const record = await getReport(request.params.id ?? '', deps());
      return { status: 200, headers: { etag: versionEtag(record.version) }, body: reportResource(record) };
    },
  });
}

/** The handler over a configuration's ports (lib/config.ts): the local stack's, or the environment's in Lambda. */
export const createHandler = (config: FunctionConfig) =>
  createGetReportHandler(agencyApiDependenciesOf(config), config);

export const handler = createHandler(process.env);
