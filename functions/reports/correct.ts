import { ReportCorrectionSchema } from '../../shared/reports/schemas.js';
import { correctReport } from '../../shared/reports/service.js';
import { type AgencyApiDependencies, agencyApiDependenciesOf, authenticate } from '../lib/agency-api.js';
import type { FunctionConfig } from '../lib/config.js';
import { httpHandler } from '../lib/http.js';
import { routeBody } from '../lib/route-body.js';
import { reportHeaders, reportResource } from './resource.js';

/** `PUT /api/v1/reports/{id}`: the filing agency corrects a report's figures; `If-Match` names its version. */
export function createCorrectReportHandler(deps: () => AgencyApiDependencies, config: FunctionConfig = process.env) {
  return httpHandler({
    config,
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

/** The handler over a configuration's ports (lib/config.ts): the local stack's, or the environment's in Lambda. */
export const createHandler = (config: FunctionConfig) =>
  createCorrectReportHandler(agencyApiDependenciesOf(config), config);

export const handler = createHandler(process.env);
