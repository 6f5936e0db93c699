import { getReport } from '../../shared/reports/service.js';
import { type AgencyApiDependencies, agencyApiDependencies } from '../conclusions/dependencies.js';
import { httpHandler } from '../lib/http.js';
import { reportResource } from './resource.js';

/** `GET /api/v1/reports/{id}`: anyone reads a report; 404. */
export function createGetReportHandler(deps: () => AgencyApiDependencies) {
  return httpHandler({
    async handle(request) {
      const record = await getReport(request.params.id ?? '', deps());
      return { status: 200, headers: { etag: `"${record.version}"` }, body: reportResource(record) };
    },
  });
}

export const handler = createGetReportHandler(agencyApiDependencies);
