import { ReportInputSchema } from '../../shared/reports/schemas.js';
import { fileReport } from '../../shared/reports/service.js';
import { type AgencyApiDependencies, agencyApiDependencies, authenticate } from '../conclusions/dependencies.js';
import { httpHandler } from '../lib/http.js';
import { routeBody } from '../lib/route-body.js';
import { reportHeaders, reportResource } from './resource.js';

/**
 * `POST /api/v1/reports`: an agency files the procedure-handling figures of a unit for a month. 201 for a new
 * report; 200 when the same figures were already filed; 409 when other figures were (correct with PUT).
 */
export function createFileReportHandler(deps: () => AgencyApiDependencies) {
  return httpHandler({
    ...routeBody('reports-create', ReportInputSchema),
    // The signature covers the exact body bytes: verified before the body is parsed or schema-checked.
    before: (request) => authenticate(request, deps()),
    async handle(request) {
      const d = deps();
      const publisher = request.guarded;
      const { record, created } = await fileReport(request.body, publisher, d);
      return { status: created ? 201 : 200, headers: reportHeaders(record), body: reportResource(record) };
    },
  });
}

export const handler = createFileReportHandler(agencyApiDependencies);
