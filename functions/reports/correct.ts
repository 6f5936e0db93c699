import { ReportCorrectionSchema } from '../../shared/reports/schemas.js';
import { correctReport } from '../../shared/reports/service.js';
import { type AgencyApiDependencies, agencyApiDependencies, authenticate } from '../conclusions/dependencies.js';
import { httpHandler } from '../lib/http.js';
import { routeBody } from '../lib/route-body.js';
import { reportHeaders, reportResource } from './resource.js';

/** `PUT /api/v1/reports/{id}`: the filing agency corrects a report's figures; `If-Match` names its version. */
export function createCorrectReportHandler(deps: () => AgencyApiDependencies) {
  return httpHandler({
    ...routeBody('reports-correct', ReportCorrectionSchema),
    // The signature covers the exact body bytes: verified before the body is parsed or schema-checked.
    before: (request) => authenticate(request, deps()),
    async handle(request) {
      const d = deps();
      const publisher = request.guarded;
      const { record } = await correctReport(
        request.params.id ?? '',
        request.headers['if-match'],
        request.body,
        publisher,
        d,
      );
      return { status: 200, headers: reportHeaders(record), body: reportResource(record) };
    },
  });
}

export const handler = createCorrectReportHandler(agencyApiDependencies);
